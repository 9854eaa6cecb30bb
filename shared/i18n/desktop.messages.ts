// Messages of the workstation's own machinery: its data directory, local store and unsynced work.
export const desktopMessages = {
  en: {
    'desktop.data_dir_in_use':
      'Arbitra is already open with this data folder (process {pid}). Switch to that window, or close it and try again. Folder: {dataDir}',
    'desktop.local_store_damaged':
      'The local database in {dataDir} could not be opened. It is being rebuilt from the server, and your unsynced changes will be applied again.',
    'desktop.not_registered': 'This workstation is not registered yet. Sign in once while connected to the server to register it.',
    'desktop.offline_period_expired':
      'This workstation has been offline for more than {days} days. Connect to the server and sign in again to keep working.',
    'case.event.local.pending': 'Not yet synced',
    'desktop.mutation.addNote': 'Add a note',
    'desktop.mutation.addConsultation': 'Request a consultation',
    'desktop.mutation.answerConsultation': 'Answer a consultation',
    'desktop.mutation.logCommunication': 'Log a communication',
    'desktop.mutation.setAssessment': 'Record the assessment',
    'desktop.mutation.proposeRemedy': 'Draft a remedy',
    'desktop.mutation.withdrawRemedy': 'Withdraw a remedy',
    'desktop.mutation.transition': 'Change the case status',
    'desktop.mutation.classify': 'Classify the case',
    'desktop.mutation.recordSatisfaction': 'Record satisfaction',
    'desktop.mutation.updateCaseFields': 'Edit the case',
    'desktop.mutation.recordDossierExport': 'Record a dossier exported offline',
  },
  'zh-CN': {
    'desktop.data_dir_in_use': 'Arbitra 已在使用此数据文件夹（进程 {pid}）。请切换到该窗口，或将其关闭后重试。文件夹：{dataDir}',
    'desktop.local_store_damaged': '无法打开 {dataDir} 中的本地数据库。正在从服务器重建，尚未同步的更改将重新应用。',
    'desktop.not_registered': '此工作站尚未注册。请在连接服务器时登录一次以完成注册。',
    'desktop.offline_period_expired': '此工作站已离线超过 {days} 天。请连接服务器并重新登录后继续工作。',
    'case.event.local.pending': '尚未同步',
    'desktop.mutation.addNote': '添加备注',
    'desktop.mutation.addConsultation': '发起咨询',
    'desktop.mutation.answerConsultation': '答复咨询',
    'desktop.mutation.logCommunication': '记录沟通',
    'desktop.mutation.setAssessment': '记录责任认定',
    'desktop.mutation.proposeRemedy': '拟定解决方案',
    'desktop.mutation.withdrawRemedy': '撤回解决方案',
    'desktop.mutation.transition': '变更案件状态',
    'desktop.mutation.classify': '案件分类',
    'desktop.mutation.recordSatisfaction': '记录满意度',
    'desktop.mutation.updateCaseFields': '编辑案件',
    'desktop.mutation.recordDossierExport': '记录离线导出的卷宗',
  },
} as const;
