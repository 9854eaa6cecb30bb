// One dictionary per language, merged from each module's message file. Apps and server translate
// message keys with `translate`; a key missing in a language falls back to English, then to the key.
import type { Language } from '../domain';
import { coreMessages } from './core.messages';
import { lifecycleMessages } from './lifecycle.messages';
import { rulesMessages } from './rules.messages';
import { domainMessages } from './domain.messages';
import { authMessages } from './auth.messages';
import { appMessages } from './app.messages';
import { vaultMessages } from './vault.messages';
import { caseMessages } from './case.messages';
import { evidenceMessages } from './evidence.messages';
import { desktopMessages } from './desktop.messages';
import { syncMessages } from './sync.messages';
import { escalationMessages } from './escalation.messages';
import { dossierMessages } from './dossier.messages';
import { dossierJobsMessages } from './dossier-jobs.messages';
import { reportMessages } from './report.messages';
import { workstationAppMessages } from './workstation-app.messages';
import { workspaceMessages } from './workspace.messages';
import { workstationMessages } from './workstation.messages';
import { workstationShellMessages } from './workstation-shell.messages';
import { portalMessages } from './portal.messages';
import { membersMessages } from './members.messages';

const SOURCES = [coreMessages, lifecycleMessages, rulesMessages, domainMessages, authMessages, appMessages, vaultMessages, caseMessages, evidenceMessages, syncMessages, escalationMessages, desktopMessages, dossierJobsMessages, reportMessages, dossierMessages, workstationMessages, workstationAppMessages, workspaceMessages, workstationShellMessages, membersMessages, portalMessages];

export const messages: Record<Language, Record<string, string>> = {
  en: Object.assign({}, ...SOURCES.map((s) => s.en)),
  'zh-CN': Object.assign({}, ...SOURCES.map((s) => s['zh-CN'])),
};

export function translate(language: Language, key: string, params: Record<string, string | number> = {}): string {
  const template = messages[language]?.[key] ?? messages.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function hasMessage(key: string): boolean {
  return key in messages.en && key in messages['zh-CN'];
}

/** Picks zh-CN or English from an Accept-Language header. */
export function languageFromHeader(header: string | undefined | null): Language {
  if (!header) return 'en';
  const tags = header
    .split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
