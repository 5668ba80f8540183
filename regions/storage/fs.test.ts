import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeFileStorageContract } from './contract.ts';
import { FsStorage } from './fs.ts';

const root = mkdtempSync(join(tmpdir(), 'crm-storage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeFileStorageContract('FsStorage', () => new FsStorage(root));

describe('FsStorage', () => {
  it('writes through a temporary file, leaving none behind', async () => {
    const storage = new FsStorage(join(root, 'tidy'));
    await storage.put('a/b/c.txt', new TextEncoder().encode('hello'), 'text/plain');
    expect(readdirSync(join(root, 'tidy', 'a', 'b'))).toEqual(['c.txt']);
  });

  it('keeps files under its root whatever the key', async () => {
    const storage = new FsStorage(join(root, 'walled'));
    await expect(storage.put('..%2Fescape', new Uint8Array(1), 'text/plain')).rejects.toThrow(/unsafe/);
    expect(readdirSync(root)).not.toContain('escape');
  });
});
