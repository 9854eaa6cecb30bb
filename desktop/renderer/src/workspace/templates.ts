// Messages to the complainant, from templates per language: the text lives in
// shared/i18n/workspace.messages.ts and is read in the complainant's language (not the screen's),
// filled with the case number.
import { translate } from '../../../../shared/i18n';
import type { Language } from '../../../../shared/domain';

export const MESSAGE_TEMPLATES = ['acknowledgement', 'request_material', 'resolution_proposal', 'rejection'] as const;
export type MessageTemplate = (typeof MESSAGE_TEMPLATES)[number];

/** The template's label key, shown in the screen's language. */
export const templateLabelKey = (template: MessageTemplate): string => `workspace.template.${template}`;

/** The template's text in `language`, with the case number filled in. */
export function fillTemplate(template: MessageTemplate, language: Language, caseNumber: string): string {
  return translate(language, `workspace.template.${template}.body`, { caseNumber });
}
