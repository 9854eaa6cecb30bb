// Messages of the authentication and administration modules (auth.*, admin.*). Both languages carry
// exactly the same keys.
export const authMessages = {
  en: {
    'auth.login_required': 'Please sign in first.',
    'auth.invalid_credentials': 'The email address or password is not correct.',
    'auth.throttled':
      'Too many failed sign-in attempts. Try again in {retryAfterSeconds} seconds (about {retryAfterMinutes} min).',
    'auth.totp_required': 'Set up two-step verification before you continue: only enrolment and sign-out are available until then.',
    'auth.totp_code_required': 'Enter the 6-digit code from your authenticator app.',
    'auth.totp_invalid': 'That code is not correct. Check the time on your device and enter the current code.',
    'auth.totp_code_used': 'That code has already been used. Wait for the next code in your authenticator app.',
    'auth.totp_already_enabled': 'Two-step verification is already set up for this account.',
    'auth.totp_not_started': 'Start setting up two-step verification first.',
    'auth.current_password_wrong': 'Your current password is not correct.',
    'auth.password_unchanged': 'The new password must differ from the current one.',

    'admin.email_taken': 'A user with this email address already exists.',
    'admin.team_name_taken': 'A team with this name already exists.',
    'admin.external_user_in_team': 'External arbitrators and mediators cannot be members of internal teams.',
    'admin.cannot_change_own_role': 'You cannot change your own role; ask another admin.',
    'admin.cannot_disable_self': 'You cannot disable your own account; ask another admin.',
    'admin.intake_key_not_found': 'No such intake key.',
  },
  'zh-CN': {
    'auth.login_required': '请先登录。',
    'auth.invalid_credentials': '邮箱地址或密码不正确。',
    'auth.throttled': '登录失败次数过多。请在 {retryAfterSeconds} 秒（约 {retryAfterMinutes} 分钟）后重试。',
    'auth.totp_required': '请先设置两步验证后再继续：在此之前只能进行设置或退出登录。',
    'auth.totp_code_required': '请输入身份验证器应用中显示的 6 位验证码。',
    'auth.totp_invalid': '验证码不正确。请检查设备时间并输入当前验证码。',
    'auth.totp_code_used': '该验证码已被使用。请等待身份验证器应用显示下一个验证码。',
    'auth.totp_already_enabled': '该账户已设置两步验证。',
    'auth.totp_not_started': '请先开始设置两步验证。',
    'auth.current_password_wrong': '当前密码不正确。',
    'auth.password_unchanged': '新密码不能与当前密码相同。',

    'admin.email_taken': '已存在使用该邮箱地址的用户。',
    'admin.team_name_taken': '已存在同名团队。',
    'admin.external_user_in_team': '外部仲裁员和调解员不能加入内部团队。',
    'admin.cannot_change_own_role': '您不能更改自己的角色，请联系其他管理员。',
    'admin.cannot_disable_self': '您不能停用自己的账户，请联系其他管理员。',
    'admin.intake_key_not_found': '接入密钥不存在。',
  },
} as const;
