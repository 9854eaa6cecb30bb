export { authenticator } from '../../server/src/auth/totp';
