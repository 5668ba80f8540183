import { describe, expect, it } from 'vitest';
import { type FileStorage, StorageNotFound } from './port.ts';

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A stream of `total` bytes made in chunks of `chunk`, byte i being i mod 251, so any reordering shows. */
function patterned(total: number, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= total) return controller.close();
      const size = Math.min(chunk, total - at);
      controller.enqueue(Uint8Array.from({ length: size }, (_, i) => (at + i) % 251));
      at += size;
    },
  });
}

/** The behaviour every storage adapter must have; each adapter's test file runs it. */
export function describeFileStorageContract(name: string, open: () => FileStorage, skip = false) {
  const unique = () => `contract/${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  describe.skipIf(skip)(`${name} (file storage contract)`, () => {
    it('reads back the exact bytes it stored, binary included, and knows their size', async () => {
      const storage = open();
      const key = `${unique()}/file.bin`;
      const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
      expect(await storage.put(key, bytes, 'application/octet-stream')).toEqual({ size: 1000 });
      expect(await readAll(await storage.get(key))).toEqual(bytes);
      expect(await storage.size(key)).toBe(1000);
    });

    it('stores a stream larger than one part without changing a byte', async () => {
      const storage = open();
      const key = unique();
      const total = 9 * 1024 * 1024 + 17;
      expect(await storage.put(key, patterned(total), 'text/csv')).toEqual({ size: total });
      const back = await readAll(await storage.get(key));
      expect(back.length).toBe(total);
      expect(back.every((byte, i) => byte === i % 251)).toBe(true);
    });

    it('stores an empty file', async () => {
      const storage = open();
      const key = unique();
      expect(await storage.put(key, new Uint8Array(0), 'text/plain')).toEqual({ size: 0 });
      expect(await storage.size(key)).toBe(0);
      expect((await readAll(await storage.get(key))).length).toBe(0);
    });

    it('replaces a file and deletes one, idempotently', async () => {
      const storage = open();
      const key = unique();
      await storage.put(key, new TextEncoder().encode('first'), 'text/plain');
      await storage.put(key, new TextEncoder().encode('second, longer'), 'text/plain');
      expect(new TextDecoder().decode(await readAll(await storage.get(key)))).toBe('second, longer');
      await storage.delete(key);
      await storage.delete(key);
      expect(await storage.size(key)).toBeNull();
      await expect(storage.get(key)).rejects.toBeInstanceOf(StorageNotFound);
    });

    it('says nothing is there for a key never written', async () => {
      const storage = open();
      expect(await storage.size(unique())).toBeNull();
      await expect(storage.get(unique())).rejects.toBeInstanceOf(StorageNotFound);
    });

    it('refuses keys that could leave its space', async () => {
      const storage = open();
      const bytes = new Uint8Array([1]);
      for (const key of ['../escape', 'a/../../escape', '/etc/passwd', 'a//b', '', 'a/./b', '.hidden', 'a\\b', 'a b']) {
        await expect(storage.put(key, bytes, 'text/plain'), key).rejects.toThrow(/unsafe storage key/);
        await expect(storage.get(key), key).rejects.toThrow(/unsafe storage key/);
        await expect(storage.delete(key), key).rejects.toThrow(/unsafe storage key/);
      }
    });

    it('leaves the old file in place when a streamed write fails midway', async () => {
      const storage = open();
      const key = unique();
      await storage.put(key, new TextEncoder().encode('kept'), 'text/plain');
      let sent = 0;
      const failing = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 3) controller.enqueue(new Uint8Array(1024));
          else controller.error(new Error('client went away'));
        },
      });
      await expect(storage.put(key, failing, 'text/plain')).rejects.toThrow();
      expect(new TextDecoder().decode(await readAll(await storage.get(key)))).toBe('kept');
    });
  });
}
