import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSecretBox, isSealed, newSecretKey, parseSecretKeys, SecretBoxError } from './secret-box.ts';
import { openSecretBox } from './secret-keys.ts';

const folder = mkdtempSync(join(tmpdir(), 'secret-box-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('secret box', () => {
  it('seals with the first key and opens what it sealed, bound to its context', async () => {
    const box = await createSecretBox(parseSecretKeys(newSecretKey('k1')));
    const sealed = await box.seal('whsec_abc', 'webhook:1');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('whsec_abc');
    expect(await box.open(sealed, 'webhook:1')).toBe('whsec_abc');
    await expect(box.open(sealed, 'webhook:2')).rejects.toBeInstanceOf(SecretBoxError);
    // The same plaintext seals differently each time (a fresh IV).
    expect(await box.seal('whsec_abc', 'webhook:1')).not.toBe(sealed);
  });

  it('refuses a tampered value and a key it does not have', async () => {
    const box = await createSecretBox(parseSecretKeys(newSecretKey('k1')));
    const sealed = await box.seal('secret', 'c');
    const parts = sealed.split(':');
    const flipped = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith('AA') ? 'BA' : 'AA'}`;
    await expect(box.open([...parts.slice(0, 3), flipped].join(':'), 'c')).rejects.toBeInstanceOf(SecretBoxError);
    const other = await createSecretBox(parseSecretKeys(newSecretKey('k9')));
    await expect(other.open(sealed, 'c')).rejects.toThrow(/"k1", which is not configured/);
    await expect(box.open('plain text', 'c')).rejects.toThrow(/not a sealed secret/);
  });

  it('rotates: the new key seals, the old one still opens, and old values are known stale', async () => {
    const oldKey = newSecretKey('k1');
    const before = await createSecretBox(parseSecretKeys(oldKey));
    const sealedBefore = await before.seal('secret', 'c');
    const during = await createSecretBox(parseSecretKeys(`${newSecretKey('k2')},${oldKey}`));
    expect(await during.open(sealedBefore, 'c')).toBe('secret');
    expect(during.isStale(sealedBefore)).toBe(true);
    const resealed = await during.seal(await during.open(sealedBefore, 'c'), 'c');
    expect(during.isStale(resealed)).toBe(false);
  });

  it('refuses keys of the wrong size, bad ids and duplicates', async () => {
    await expect(createSecretBox([{ id: 'k1', key: new Uint8Array(16) }])).rejects.toThrow(/32 bytes/);
    await expect(createSecretBox([{ id: 'bad id', key: new Uint8Array(32) }])).rejects.toThrow(/letters/);
    await expect(
      createSecretBox([
        { id: 'k1', key: new Uint8Array(32) },
        { id: 'k1', key: new Uint8Array(32) },
      ]),
    ).rejects.toThrow(/twice/);
    expect(() => parseSecretKeys('nocolon')).toThrow(/id:base64url-key/);
  });

  it('without SECRETS_KEYS, makes one key file that every process sharing the data folder reads', async () => {
    const file = join(folder, 'secrets-key');
    const [a, b] = await Promise.all([openSecretBox({ file }), openSecretBox({ file })]);
    expect(await b.open(await a.seal('x', 'c'), 'c')).toBe('x');
    expect(readFileSync(file, 'utf8')).toMatch(/^k1:[A-Za-z0-9_-]{43}\n$/);
  });
});
