import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { assertSafeKey } from './keys.ts';
import { type FileStorage, type StorageBody, StorageNotFound } from './port.ts';

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Files in a local folder (`$DATA_DIR/<region>/files` by default). A write goes to a temporary file beside its
 * target and is renamed over it only when complete, so a reader never sees half a file and a crash leaves only a
 * stray temporary (their names start with `.`, which no key can, so they never shadow one).
 */
export class FsStorage implements FileStorage {
  readonly kind = 'fs' as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    const path = resolve(this.root, assertSafeKey(key));
    // assertSafeKey already refuses `..` and absolute keys; this is the second wall.
    if (!path.startsWith(this.root + sep)) throw new Error(`storage key escapes the root: ${key}`);
    return path;
  }

  async put(key: string, body: StorageBody, _contentType: string): Promise<{ size: number }> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const temporary = join(dirname(target), `.tmp-${randomBytes(8).toString('hex')}`);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    const source =
      body instanceof Uint8Array ? Readable.from([body]) : Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
    try {
      await pipeline(source, counter, createWriteStream(temporary, { flags: 'wx' }));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { size };
  }

  async get(key: string): Promise<ReadableStream<Uint8Array>> {
    const path = this.pathOf(key);
    try {
      await stat(path);
    } catch (error) {
      if (missing(error)) throw new StorageNotFound(key);
      throw error;
    }
    return Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch (error) {
      if (missing(error)) return null;
      throw error;
    }
  }
}
