/**
 * Credentials (channel tokens, SMTP passwords, webhook signing secrets) encrypted at rest with AES-256-GCM.
 * The key comes from JOURNEYS_SECRET_KEY (32 bytes as base64 or hex, or any passphrase, hashed with SHA-256);
 * without it a fixed development key is used and a warning says so once.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Store } from './db';

export interface CredentialDoc {
  _id: string; // `${workspaceId}|${name}`
  workspaceId: string;
  name: string;
  /** base64 of iv (12) | tag (16) | ciphertext */
  sealed: string;
  keyId: string;
  createdAt: Date;
  updatedAt: Date;
}

const DEV_KEY_MATERIAL = 'journeys-insecure-development-key';
let warned = false;

export function secretKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const raw = env.JOURNEYS_SECRET_KEY;
  if (!raw) {
    if (!warned) {
      warned = true;
      console.warn('[journeys] JOURNEYS_SECRET_KEY is not set: credentials are encrypted with an INSECURE development key. Set it in production.');
    }
    return createHash('sha256').update(DEV_KEY_MATERIAL).digest();
  }
  if (/^[0-9a-f]{64}$/i.test(raw)) return Buffer.from(raw, 'hex');
  const b64 = Buffer.from(raw, 'base64');
  if (b64.length === 32 && /^[A-Za-z0-9+/]{43}=?$/.test(raw)) return b64;
  return createHash('sha256').update(raw).digest();
}

/** A short fingerprint of the key, stored with each secret so a key rotation is detectable. */
function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function seal(plaintext: string, key = secretKey(), aad = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

export function unseal(sealed: string, key = secretKey(), aad = ''): string {
  const buf = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
}

export const credentials = (s: Store) => s.db.collection<CredentialDoc>('credentials');

export async function putCredential(s: Store, workspaceId: string, name: string, value: string, now = new Date()): Promise<void> {
  const key = secretKey();
  const _id = `${workspaceId}|${name}`;
  // The id is bound as associated data: a sealed value copied to another credential does not decrypt.
  await credentials(s).updateOne(
    { _id },
    { $set: { workspaceId, name, sealed: seal(value, key, _id), keyId: keyId(key), updatedAt: now }, $setOnInsert: { createdAt: now } },
    { upsert: true },
  );
}

export async function getCredential(s: Store, workspaceId: string, name: string): Promise<string | undefined> {
  const _id = `${workspaceId}|${name}`;
  const doc = await credentials(s).findOne({ _id });
  return doc ? unseal(doc.sealed, secretKey(), _id) : undefined;
}

export async function listCredentials(s: Store, workspaceId: string) {
  const docs = await credentials(s).find({ workspaceId }, { projection: { sealed: 0 } }).sort({ name: 1 }).toArray();
  return docs.map((d) => ({ name: d.name, keyId: d.keyId, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString() }));
}
