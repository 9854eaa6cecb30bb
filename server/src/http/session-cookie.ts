// The portal's session cookie attributes, one place for setting and clearing it: httpOnly,
// SameSite=Strict, path /, and Secure when the deployment is served over TLS (ARBITRA_TLS=1).
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { ServerConfig } from '../config';

export function sessionCookieOptions(config: Pick<ServerConfig, 'tls'>): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'strict', secure: config.tls };
}
