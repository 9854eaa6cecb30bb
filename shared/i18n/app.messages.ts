// Labels of the apps' frame (workstation and portal).
export const appMessages = {
  en: {
    'app.workstation.title': 'Arbitra workstation',
    'app.portal.title': 'Arbitra arbitration portal',
    'app.mode.electron': 'Running in the desktop app.',
    'app.mode.browser': 'Running in browser mode (the Electron binary is not installed on this machine).',
    'app.language.switch': '中文',
  },
  'zh-CN': {
    'app.workstation.title': 'Arbitra 纠纷处理工作台',
    'app.portal.title': 'Arbitra 仲裁门户',
    'app.mode.electron': '正在桌面应用中运行。',
    'app.mode.browser': '正在浏览器模式下运行（本机未安装 Electron 程序）。',
    'app.language.switch': 'English',
  },
} as const;
