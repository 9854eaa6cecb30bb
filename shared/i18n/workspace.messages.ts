// Messages of the workstation's case workspace screen (renderer), en and zh-CN.
export const workspaceMessages = {
  en: {},
  'zh-CN': {},
} as const;
