/** A file body as the storage port takes it: a Web stream (uploads, generated reports) or bytes already in memory. */
export type StorageBody = ReadableStream<Uint8Array> | Uint8Array;

/**
 * Where a region keeps files (attachments, uploaded CSVs, import error reports): a local folder or an S3 bucket.
 * Keys are relative, slash-separated paths made by the application (see keys.ts), never by a client.
 */
export interface FileStorage {
  readonly kind: 'fs' | 's3';
  /** Stores the whole body under the key, replacing any earlier file; readers see the old file or the new one. */
  put(key: string, body: StorageBody, contentType: string): Promise<{ size: number }>;
  /** The file's bytes as a stream; StorageNotFound when there is none. */
  get(key: string): Promise<ReadableStream<Uint8Array>>;
  /** Removes the file; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /** The file's size in bytes, or null when there is none. */
  size(key: string): Promise<number | null>;
}

export class StorageNotFound extends Error {
  constructor(readonly key: string) {
    super(`no stored file under ${key}`);
    this.name = 'StorageNotFound';
  }
}
