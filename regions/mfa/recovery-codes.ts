import { sha256Hex } from '../../edge/protocol/encoding.ts';

export const RECOVERY_CODE_COUNT = 10;

/** Crockford's base32 without I, L, O and U: nothing to misread when typed from paper. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/**
 * A recovery code: 16 characters of 5 random bits each (80 bits), written `xxxx-xxxx-xxxx-xxxx`. Codes this random
 * cannot be found by trying candidates against a stolen hash, so a plain SHA-256 keeps them as safe as argon2 would
 * (which exists to slow guessing of low-entropy passwords) while checking one against ten stays a single lookup.
 */
export function newRecoveryCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(GROUPS * GROUP_LENGTH));
  // 256 is a multiple of 32, so taking each byte modulo 32 keeps every character equally likely.
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]!);
  const groups = Array.from({ length: GROUPS }, (_, i) =>
    chars.slice(i * GROUP_LENGTH, (i + 1) * GROUP_LENGTH).join(''),
  );
  return groups.join('-');
}

export const newRecoveryCodes = (): string[] => Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);

/**
 * The code as stored: case, spaces and dashes do not matter, and the letters people confuse with digits are read
 * as those digits (Crockford's rule), so a code copied by hand still works.
 */
export function normaliseRecoveryCode(input: string): string | null {
  const plain = input
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/[io]/g, (c) => (c === 'o' ? '0' : '1'))
    .replace(/l/g, '1');
  if (plain.length !== GROUPS * GROUP_LENGTH) return null;
  for (const c of plain) if (!ALPHABET.includes(c)) return null;
  return plain;
}

/** SHA-256 of the normalised code, bound to its user so equal codes of two users never share a hash. */
export const hashRecoveryCode = (userId: string, normalised: string): Promise<string> =>
  sha256Hex(`mfa-recovery:${userId}:${normalised}`);
