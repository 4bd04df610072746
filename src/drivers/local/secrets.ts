import { randomBytes } from 'node:crypto';

/** Credentials the local drivers hand out: URL-safe, so they can sit inside a URL unescaped. */
export const newPassword = (): string => randomBytes(18).toString('base64url');
export const newAccessKeyId = (): string => 'GP' + randomBytes(12).toString('hex').toUpperCase().slice(0, 18);
export const newSecretKey = (): string => randomBytes(30).toString('base64url');
