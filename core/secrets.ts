/** Secrets of sessions and API tokens: high-entropy random strings, stored only as their SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

export const SESSION_PREFIX = 'jrs_';
export const TOKEN_PREFIX = 'jrn_';

export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
