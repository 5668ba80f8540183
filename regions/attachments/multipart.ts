import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Busboy, type BusboyFileStream } from '@fastify/busboy';
import { ApiError, badRequest } from '../../openapi/errors.ts';

/** The file part as it arrives: its name and declared type, and its bytes as a stream to store. */
export type IncomingFile = { filename: string; mimeType: string; stream: ReadableStream<Uint8Array> };

export type ReceivedUpload<T> = {
  /** The form's other parts (first value of each name). */
  fields: Record<string, string>;
  /** What `store` made of the file part, with the bytes' count and SHA-256 (hex). */
  file: { filename: string; mimeType: string; stored: T; size: number; sha256: string };
};

export type ReceiveOptions<T> = {
  contentType: string;
  /** The file part's largest size: past it the file's stream fails with 413 while it is being stored. */
  maxFileBytes: number;
  /** Stores the file, reading its stream to the end; a failed stream must leave nothing stored. */
  store(file: IncomingFile): Promise<T>;
  /** Removes a stored file when the rest of the form turns out bad. */
  discard(stored: T): Promise<void>;
};

const FILE_FIELD = 'file';
/** Room for the form's framing and small fields beside the file; the same slack as the region's up-front check. */
const MULTIPART_SLACK_BYTES = 64 * 1024;

const tooLarge = (limit: number) => new ApiError(413, 'payload_too_large', `The file is larger than ${limit} bytes`);
const invalid = (message: string) => badRequest('validation_failed', message, [{ path: FILE_FIELD, message }]);

/**
 * Parses a multipart/form-data body as it arrives (busboy) and hands the part named `file` to `store` as a stream,
 * so a file of any size costs the region a chunk or two of memory: nothing is buffered whole. The file is hashed
 * and counted on its way. Other parts are small form fields. A second file part, a body that is not multipart, or
 * one that ends early is 400; a file over its limit is 413, raised mid-stream so that nothing is kept of it.
 */
export async function receiveUpload<T>(
  body: ReadableStream<Uint8Array>,
  options: ReceiveOptions<T>,
): Promise<ReceivedUpload<T>> {
  let parser: ReturnType<typeof Busboy>;
  try {
    parser = Busboy({
      headers: { 'content-type': options.contentType },
      limits: { fileSize: options.maxFileBytes, fields: 20, fieldSize: 64 * 1024, parts: 40 },
    });
  } catch {
    throw new ApiError(415, 'unsupported_media_type', 'Send the file as multipart/form-data');
  }
  const fields: Record<string, string> = {};
  let files = 0;
  let storing: Promise<ReceivedUpload<T>['file']> | null = null;
  // Fails the file's stream from outside (the body broke off): its store then fails and removes what it wrote.
  let failFile: (error: unknown) => void = () => {};
  let storeFailed: (error: unknown) => void = () => {};
  const earlyFailure = new Promise<{ error: unknown }>((resolve) => {
    storeFailed = (error) => resolve({ error });
  });
  parser.on('field', (name, value) => {
    if (!(name in fields)) fields[name] = value;
  });
  parser.on('file', (name, stream, filename, _encoding, mimeType) => {
    files++;
    if (name !== FILE_FIELD || storing) {
      // Read and dropped, so the rest of the form still parses; the answer is 400 once it has.
      stream.resume();
      return;
    }
    const hash = createHash('sha256');
    let size = 0;
    const incoming = webStream(stream, options.maxFileBytes, (chunk) => {
      hash.update(chunk);
      size += chunk.length;
    });
    failFile = incoming.fail;
    storing = options
      .store({ filename, mimeType, stream: incoming.stream })
      .then((stored) => ({ filename, mimeType, stored, size, sha256: hash.digest('hex') }));
    // A storing that fails (the file too large, storage down) ends the upload without waiting for the form's end.
    storing.catch(storeFailed);
  });
  const maxBodyBytes = options.maxFileBytes + MULTIPART_SLACK_BYTES;
  let seen = 0;
  let overflow: ApiError | null = null;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBodyBytes && !overflow) {
        overflow = new ApiError(413, 'payload_too_large', `The body is larger than ${maxBodyBytes} bytes`);
        storeFailed(overflow);
        failFile(overflow);
      }
      // Past the limit the bytes are counted and dropped: the parser then meets a form cut short, which is ignored.
      done(null, overflow ? undefined : chunk);
    },
  });
  const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
  const parsed = pipeline(source, counter, parser).then(
    () => null,
    (error: unknown) => error,
  );
  const stored = await Promise.race([
    parsed.then(async (error) => {
      if (error) return { error };
      try {
        return { file: await storing };
      } catch (failure) {
        return { error: failure };
      }
    }),
    earlyFailure,
  ]);
  if ('error' in stored) {
    // A file half received is failed, so its store removes what it wrote; one stored in full is deleted.
    failFile(stored.error);
    // The rest of the body is read and dropped before the answer (the edge bounds how much there can be): a client
    // still sending when the answer comes may never read it — fetch() in Node and browsers fails with a reset.
    await parsed;
    const kept = await (storing as Promise<ReceivedUpload<T>['file']> | null)?.catch(() => null);
    if (kept) await options.discard(kept.stored);
    throw asApiError(stored.error);
  }
  const file = stored.file;
  if (files > 1 || !file) {
    if (file) await options.discard(file.stored);
    throw invalid(files > 1 ? 'Attach exactly one file as the part "file"' : 'Attach one file as the part "file"');
  }
  return { fields, file };
}

/** Parser and stream failures the client caused are its 400; our own ApiErrors (413) pass unchanged. */
function asApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/unexpected end|malformed|boundary|multipart|part/i.test(message)) {
    return badRequest('invalid_multipart', `The multipart body could not be read: ${message}`);
  }
  return error;
}

/**
 * busboy's Node stream of one file as a Web stream that asks for data only when its reader wants it (so backpressure
 * reaches busboy and the socket), and fails with 413 the moment busboy says the file passed its limit.
 */
function webStream(file: BusboyFileStream, limit: number, onChunk: (chunk: Buffer) => void) {
  let open = true;
  let fail: (error: unknown) => void = () => {};
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        fail = (error: unknown) => {
          if (!open) return;
          open = false;
          controller.error(error);
          // The rest of the file is read and dropped so the form's end can still be found.
          file.resume();
        };
        file.on('data', (chunk: Buffer) => {
          if (!open) return;
          onChunk(chunk);
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) file.pause();
        });
        file.once('limit', () => fail(tooLarge(limit)));
        file.once('error', fail);
        file.once('end', () => {
          if (!open) return;
          open = false;
          controller.close();
        });
        file.pause();
      },
      pull() {
        if (open) file.resume();
      },
      cancel() {
        open = false;
        file.resume();
      },
    },
    { highWaterMark: 1 },
  );
  return { stream, fail: (error: unknown) => fail(error) };
}

/** A form as an upload's streamed body and Content-Type, the way a client sends it (for callers in-process). */
export function uploadOfForm(form: FormData): { body: ReadableStream<Uint8Array>; contentType: string } {
  const request = new Request('http://upload.invalid/', { method: 'POST', body: form });
  return { body: request.body!, contentType: request.headers.get('content-type')! };
}
