import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createSecretBox, newSecretKey, parseSecretKeys, type SecretBox } from './secret-box.ts';

/**
 * The secret box of a region or worker process: the keys of `SECRETS_KEYS` when set (production: from a secret
 * store, the same in every process), else one key kept in a file made on first start, which every process sharing
 * the data folder reads (`npm start`). The file is created exclusively, so processes starting together agree.
 */
export async function openSecretBox(options: { keys?: string; file: string }): Promise<SecretBox> {
  if (options.keys) return createSecretBox(parseSecretKeys(options.keys));
  return createSecretBox(parseSecretKeys(keyFileText(options.file)));
}

function keyFileText(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${newSecretKey('k1')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

/** Where the secrets key file is when the environment names none: `SECRETS_KEY_FILE`, else `$DATA_DIR/secrets-key`. */
export const secretsKeyFileOf = (env: NodeJS.ProcessEnv): string =>
  env.SECRETS_KEY_FILE ?? join(env.DATA_DIR ?? 'data', 'secrets-key');

/**
 * The box of a process that opens what regions sealed (a worker alone, the keys CLI), from the regions' settings:
 * `SECRETS_KEYS`, else the key file. It never makes a key: one of its own would open nothing the regions sealed.
 */
export async function secretBoxFromEnv(env: NodeJS.ProcessEnv): Promise<SecretBox> {
  const file = secretsKeyFileOf(env);
  if (!env.SECRETS_KEYS && !existsSync(file)) {
    throw new Error(`set SECRETS_KEYS (or SECRETS_KEY_FILE) as the regions have it: there is no key file at ${file}`);
  }
  return openSecretBox({ keys: env.SECRETS_KEYS || undefined, file });
}
