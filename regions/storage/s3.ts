import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { assertSafeKey } from './keys.ts';
import { type FileStorage, type StorageBody, StorageNotFound } from './port.ts';

export type S3StorageOptions = {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, R2, …); addressed path-style, since such servers rarely have bucket DNS. */
  endpoint?: string;
  /** Tests hand in a client; otherwise credentials come from the standard AWS chain (AWS_ACCESS_KEY_ID, …). */
  client?: S3Client;
};

/** S3's smallest part but the last is 5 MiB; 8 MiB parts keep a streamed upload's memory at one part. */
const PART_SIZE = 8 * 1024 * 1024;

const isNotFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Reads a body in parts of PART_SIZE bytes (the last may be shorter, or empty for an empty body), one at a time. */
async function* partsOf(body: StorageBody): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    for (let at = 0; at < body.length; at += PART_SIZE) yield body.subarray(at, at + PART_SIZE);
    if (body.length === 0) yield body;
    return;
  }
  let chunks: Uint8Array[] = [];
  let buffered = 0;
  let yielded = false;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let rest = value;
      while (buffered + rest.length >= PART_SIZE) {
        const take = PART_SIZE - buffered;
        chunks.push(rest.subarray(0, take));
        yield concat(chunks, PART_SIZE);
        yielded = true;
        chunks = [];
        buffered = 0;
        rest = rest.subarray(take);
      }
      if (rest.length > 0) {
        chunks.push(rest);
        buffered += rest.length;
      }
    }
  } finally {
    reader.releaseLock();
  }
  if (buffered > 0 || !yielded) yield concat(chunks, buffered);
}

/**
 * Files in an S3 (or S3-compatible) bucket. A small body is one PutObject; a larger stream becomes a multipart
 * upload of 8 MiB parts, aborted if anything fails, so memory stays at one part and no half object appears.
 * Not run against a real server here: the contract suite runs it only when TEST_S3_ENDPOINT names one.
 */
export class S3Storage implements FileStorage {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.client =
      options.client ??
      new S3Client({
        region: options.region,
        ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      });
  }

  async put(key: string, body: StorageBody, contentType: string): Promise<{ size: number }> {
    const Key = assertSafeKey(key);
    const Bucket = this.bucket;
    const parts = partsOf(body);
    const first = (await parts.next()).value ?? new Uint8Array(0);
    const second = first.length === PART_SIZE ? await parts.next() : { done: true as const, value: undefined };
    if (second.done) {
      await this.client.send(
        new PutObjectCommand({ Bucket, Key, Body: first, ContentType: contentType, ContentLength: first.length }),
      );
      return { size: first.length };
    }
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket, Key, ContentType: contentType }),
    );
    const done: { ETag: string | undefined; PartNumber: number }[] = [];
    let size = 0;
    try {
      const upload = async (part: Uint8Array) => {
        const PartNumber = done.length + 1;
        const answer = await this.client.send(
          new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: part, ContentLength: part.length }),
        );
        done.push({ ETag: answer.ETag, PartNumber });
        size += part.length;
      };
      await upload(first);
      await upload(second.value);
      for await (const part of parts) if (part.length > 0) await upload(part);
      await this.client.send(
        new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: done } }),
      );
    } catch (error) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => {});
      throw error;
    }
    return { size };
  }

  async get(key: string): Promise<ReadableStream<Uint8Array>> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: assertSafeKey(key) }));
      if (!answer.Body) throw new StorageNotFound(key);
      return answer.Body.transformToWebStream() as ReadableStream<Uint8Array>;
    } catch (error) {
      if (isNotFound(error)) throw new StorageNotFound(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: assertSafeKey(key) }));
  }

  async size(key: string): Promise<number | null> {
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: assertSafeKey(key) }));
      return answer.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }
}
