// The structured disclosure written out as the one text the server stores (escalations.disclose takes
// a text): a numbered answer per question, then the statement. The platform reads it on the
// workstation in either language, so every label is written in both ("English / 中文"); the
// member's own words stay as they typed them.
import { portalMessages } from '../../shared/i18n/portal.messages';
import { DISCLOSURE_QUESTIONS, type DisclosureAnswers } from './forms/schemas';

type TextKey = keyof (typeof portalMessages)['en'] & `portal.disclosure.text.${string}`;
const both = (key: TextKey) => `${portalMessages.en[key]} / ${portalMessages['zh-CN'][key]}`;

export function disclosureText(answers: DisclosureAnswers): string {
  const lines = [both('portal.disclosure.text.heading'), ''];
  DISCLOSURE_QUESTIONS.forEach((q, i) => {
    const a = answers[q];
    const answer = both(a.answer === 'yes' ? 'portal.disclosure.text.yes' : 'portal.disclosure.text.no');
    lines.push(`${i + 1}. ${both(`portal.disclosure.text.${q}`)}: ${answer}`);
    if (a.answer === 'yes') lines.push(`   ${a.details.trim()}`);
  });
  lines.push('', `${both('portal.disclosure.text.statement')}:`, answers.statement.trim());
  return lines.join('\n');
}
