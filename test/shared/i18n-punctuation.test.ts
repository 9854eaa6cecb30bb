// Chinese sentences take full-width punctuation: "合计（美元）", "当前为：…", never "合计(美元)" or
// "审批限额 (美元)". ASCII stays where it belongs, inside codes and numbers ("HTTP 404", "1,250.5",
// "{row}:{message}" between placeholders). Checked on every catalog but two: the dossier's wording and the
// evidence parsers' messages are printed in filed dossiers, which `npm run verify-dossier` re-renders byte
// for byte — their punctuation changes with the dossier renderer's next version, not before.
import { describe, expect, it } from 'vitest';
import { workstationAppMessages } from '../../shared/i18n/workstation-app.messages';
import { workspaceMessages } from '../../shared/i18n/workspace.messages';
import { desktopMessages } from '../../shared/i18n/desktop.messages';
import { workstationMessages } from '../../shared/i18n/workstation.messages';
import { workstationShellMessages } from '../../shared/i18n/workstation-shell.messages';
import { portalMessages } from '../../shared/i18n/portal.messages';
import { membersMessages } from '../../shared/i18n/members.messages';
import { appMessages } from '../../shared/i18n/app.messages';
import { authMessages } from '../../shared/i18n/auth.messages';
import { caseMessages } from '../../shared/i18n/case.messages';
import { coreMessages } from '../../shared/i18n/core.messages';
import { domainMessages } from '../../shared/i18n/domain.messages';
import { dossierJobsMessages } from '../../shared/i18n/dossier-jobs.messages';
import { escalationMessages } from '../../shared/i18n/escalation.messages';
import { lifecycleMessages } from '../../shared/i18n/lifecycle.messages';
import { reportMessages } from '../../shared/i18n/report.messages';
import { rulesMessages } from '../../shared/i18n/rules.messages';
import { syncMessages } from '../../shared/i18n/sync.messages';
import { vaultMessages } from '../../shared/i18n/vault.messages';

const CHECKED_FILES: Record<string, { 'zh-CN': Record<string, string> }> = {
  'workstation-app.messages.ts': workstationAppMessages,
  'workspace.messages.ts': workspaceMessages,
  'desktop.messages.ts': desktopMessages,
  'workstation.messages.ts': workstationMessages,
  'workstation-shell.messages.ts': workstationShellMessages,
  'members.messages.ts': membersMessages,
  'portal.messages.ts': portalMessages,
  'app.messages.ts': appMessages,
  'auth.messages.ts': authMessages,
  'case.messages.ts': caseMessages,
  'core.messages.ts': coreMessages,
  'domain.messages.ts': domainMessages,
  'dossier-jobs.messages.ts': dossierJobsMessages,
  'escalation.messages.ts': escalationMessages,
  'lifecycle.messages.ts': lifecycleMessages,
  'report.messages.ts': reportMessages,
  'rules.messages.ts': rulesMessages,
  'sync.messages.ts': syncMessages,
  'vault.messages.ts': vaultMessages,
};

// Han characters and the CJK and full-width punctuation that stands between them.
const CJK = String.raw`[\p{Script=Han}\u3000-\u303f\uff01-\uff60\u201c\u201d\u2018\u2019\u2026]`;
const ASCII = String.raw`[(),:;]`;
// An ASCII mark with a Chinese character next to it (a space between them counts as next to it).
const ASCII_BY_CJK = new RegExp(String.raw`${CJK} ?${ASCII}|${ASCII} ?${CJK}`, 'u');
// A space on the inside of full-width brackets or before the opening one: "限额 （美元）", "（ 美元 ）".
const SPACED_FULL_WIDTH = /[ \t]（|（[ \t]|[ \t]）/u;

/** The offending messages of a catalog: key, text and the first offending stretch. */
export function punctuationProblems(catalog: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [key, text] of Object.entries(catalog)) {
    const m = ASCII_BY_CJK.exec(text) ?? SPACED_FULL_WIDTH.exec(text);
    if (m) problems.push(`${key}: …${text.slice(Math.max(0, m.index - 6), m.index + m[0].length + 6)}…`);
  }
  return problems;
}

describe('zh-CN punctuation', () => {
  it('catches what it should and leaves codes alone', () => {
    expect(punctuationProblems({ a: '合计(美元)', b: '审批限额 （美元）', c: '原因:{reason}', d: '已保存,等待同步' })).toHaveLength(4);
    expect(punctuationProblems({ a: '合计（美元）', b: 'HTTP 404: {status}', c: '{row}:{message}', d: '金额 1,250.50 USDT', e: '快捷键：Ctrl+Enter' })).toEqual([]);
  });

  for (const [file, catalog] of Object.entries(CHECKED_FILES)) {
    it(`${file}: full-width punctuation in Chinese sentences`, () => {
      expect(punctuationProblems(catalog['zh-CN'])).toEqual([]);
    });
  }
});
