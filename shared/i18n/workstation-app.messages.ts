// Messages of the workstation's app shell, sign-in, queue, supervisor and status bar (renderer), en and zh-CN.
export const workstationAppMessages = {
  en: {},
  'zh-CN': {},
} as const;
