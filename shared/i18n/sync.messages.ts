// Messages of workstation sync and devices.
export const syncMessages = {
  en: {
    'sync.device_revoked': 'This workstation’s access was revoked by an administrator ({reason}). Its local data has been erased; sign in again on a registered device.',
    'sync.not_this_device': 'This credential belongs to another workstation.',
    'sync.device_not_found': 'No such workstation.',
    'case.event.case.fields_updated': 'Case details edited',
  },
  'zh-CN': {
    'sync.device_revoked': '管理员已撤销本工作站的访问权限（{reason}）。本地数据已清除；请在已登记的设备上重新登录。',
    'sync.not_this_device': '该凭据属于另一台工作站。',
    'sync.device_not_found': '工作站不存在。',
    'case.event.case.fields_updated': '已编辑案件信息',
  },
} as const;
