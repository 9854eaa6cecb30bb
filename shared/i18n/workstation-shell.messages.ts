// Messages of the workstation's shells: the browser-mode loopback server (its launch key, cookie and
// origin checks) and the Electron window.
export const workstationShellMessages = {
  en: {
    'workstation.shell.title': 'Arbitra workstation',
    'workstation.shell.key_required':
      'Open the workstation with the address printed in the terminal where it was started: that address carries this launch’s key.',
    'workstation.shell.key_invalid':
      'This address carries the key of an earlier launch. The workstation was restarted: open the address it printed this time.',
    'workstation.shell.request_refused': 'This request did not come from the workstation’s own page and was refused.',
    'workstation.shell.renderer_missing': 'The workstation’s screens are not built yet. Run `npm run build`, then start the workstation again.',
    'workstation.shell.not_found': 'There is no such page.',
  },
  'zh-CN': {
    'workstation.shell.title': 'Arbitra 工作站',
    'workstation.shell.key_required': '请使用启动工作站的终端中打印的地址打开工作站：该地址带有本次启动的密钥。',
    'workstation.shell.key_invalid': '此地址带有上一次启动的密钥。工作站已重新启动：请打开它这次打印的地址。',
    'workstation.shell.request_refused': '此请求并非来自工作站自身的页面，已被拒绝。',
    'workstation.shell.renderer_missing': '工作站界面尚未构建。请运行 `npm run build`，然后重新启动工作站。',
    'workstation.shell.not_found': '不存在该页面。',
  },
} as const;
