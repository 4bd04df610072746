import { randomBytes } from 'node:crypto';
import { environmentIdPattern } from './schema.ts';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `e` + 9 base-36 characters: valid as a PostgreSQL role suffix, an S3 bucket name part and a URL segment. */
export function newEnvironmentId(): string {
  const bytes = randomBytes(9);
  return 'e' + Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export const isEnvironmentId = (s: string): boolean => environmentIdPattern.test(s);
