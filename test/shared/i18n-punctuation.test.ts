// Chinese sentences take full-width punctuation: "合计（美元）", "当前为：…", never "合计(美元)" or
// "审批限额 (美元)". ASCII stays where it belongs, inside codes and numbers ("HTTP 404", "1,250.5",
// "{row}:{message}" between placeholders). The rule is checked on the workstation's message files;
// other catalogs are listed in WORKSTATION_FILES' comment when they still need the same pass.
import { describe, expect, it } from 'vitest';
import { workstationAppMessages } from '../../shared/i18n/workstation-app.messages';
import { workspaceMessages } from '../../shared/i18n/workspace.messages';
import { desktopMessages } from '../../shared/i18n/desktop.messages';
import { workstationMessages } from '../../shared/i18n/workstation.messages';
import { workstationShellMessages } from '../../shared/i18n/workstation-shell.messages';

const WORKSTATION_FILES: Record<string, { 'zh-CN': Record<string, string> }> = {
  'workstation-app.messages.ts': workstationAppMessages,
  'workspace.messages.ts': workspaceMessages,
  'desktop.messages.ts': desktopMessages,
  'workstation.messages.ts': workstationMessages,
  'workstation-shell.messages.ts': workstationShellMessages,
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

describe('zh-CN punctuation in the workstation', () => {
  it('catches what it should and leaves codes alone', () => {
    expect(punctuationProblems({ a: '合计(美元)', b: '审批限额 （美元）', c: '原因:{reason}', d: '已保存,等待同步' })).toHaveLength(4);
    expect(punctuationProblems({ a: '合计（美元）', b: 'HTTP 404: {status}', c: '{row}:{message}', d: '金额 1,250.50 USDT', e: '快捷键：Ctrl+Enter' })).toEqual([]);
  });

  for (const [file, catalog] of Object.entries(WORKSTATION_FILES)) {
    it(`${file}: full-width punctuation in Chinese sentences`, () => {
      expect(punctuationProblems(catalog['zh-CN'])).toEqual([]);
    });
  }
});
