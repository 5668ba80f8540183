import { fromBase64Url, toBase64Url, utf8 } from '../../edge/protocol/encoding.ts';

/** One AES-256 key with the id that sealed values name, so a value sealed before a rotation still opens. */
export type SecretKey = { id: string; key: Uint8Array };

/**
 * Secrets kept at rest (webhook signing secrets, TOTP secrets, SSO client secrets) are sealed with AES-256-GCM
 * through Web Crypto. A sealed value reads `sb1:<key id>:<iv>:<ciphertext>`; the first key seals, every key opens.
 * `context` (say `webhook:<id>`) is bound as additional data, so a sealed value copied to another row will not open.
 */
export type SecretBox = {
  seal(plaintext: string, context: string): Promise<string>;
  open(sealed: string, context: string): Promise<string>;
  /** True when the value was sealed with another key than the current one (the rotation re-seals those). */
  isStale(sealed: string): boolean;
};

const PREFIX = 'sb1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class SecretBoxError extends Error {}

export async function createSecretBox(keys: readonly SecretKey[]): Promise<SecretBox> {
  if (keys.length === 0) throw new SecretBoxError('at least one secrets key is needed');
  const imported = new Map<string, CryptoKey>();
  for (const { id, key } of keys) {
    if (!KEY_ID.test(id)) throw new SecretBoxError(`secrets key id "${id}" must be 1–32 letters, digits, _ or -`);
    if (key.byteLength !== 32) throw new SecretBoxError(`secrets key "${id}" must be 32 bytes (AES-256)`);
    if (imported.has(id)) throw new SecretBoxError(`secrets key id "${id}" is given twice`);
    // Copied into a fresh ArrayBuffer, which Web Crypto's BufferSource type asks for.
    imported.set(
      id,
      await crypto.subtle.importKey('raw', new Uint8Array(key), 'AES-GCM', false, ['encrypt', 'decrypt']),
    );
  }
  const current = keys[0]!.id;
  const parse = (sealed: string) => {
    const [prefix, id, iv, data, ...rest] = sealed.split(':');
    if (prefix !== PREFIX || !id || !iv || !data || rest.length > 0) throw new SecretBoxError('not a sealed secret');
    return { id, iv, data };
  };
  return {
    async seal(plaintext, context) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: utf8.encode(context) },
        imported.get(current)!,
        utf8.encode(plaintext),
      );
      return [PREFIX, current, toBase64Url(iv), toBase64Url(new Uint8Array(data))].join(':');
    },
    async open(sealed, context) {
      const { id, iv, data } = parse(sealed);
      const key = imported.get(id);
      if (!key) throw new SecretBoxError(`sealed with secrets key "${id}", which is not configured`);
      try {
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: new Uint8Array(fromBase64Url(iv)), additionalData: utf8.encode(context) },
          key,
          new Uint8Array(fromBase64Url(data)),
        );
        return new TextDecoder().decode(plain);
      } catch {
        throw new SecretBoxError('the sealed secret does not open with its key and context (tampered or moved)');
      }
    },
    isStale: (sealed) => parse(sealed).id !== current,
  };
}

export const isSealed = (value: string): boolean => value.startsWith(`${PREFIX}:`);

/** `SECRETS_KEYS`: `id:base64url-key,…`, the current key first. */
export function parseSecretKeys(text: string): SecretKey[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.indexOf(':');
      if (colon < 1) throw new SecretBoxError('SECRETS_KEYS must read id:base64url-key[,id:key…]');
      return { id: part.slice(0, colon), key: fromBase64Url(part.slice(colon + 1)) };
    });
}

/** A new key as `SECRETS_KEYS` takes it, for the rotation procedure (docs/security.md). */
export function newSecretKey(id: string): string {
  return `${id}:${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
}
