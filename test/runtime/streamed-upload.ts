import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { type IncomingMessage, request } from 'node:http';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { TestStack } from '../support/stack.ts';

/**
 * What the suites share to show that an upload streams through the edge they run (Node, workerd, Deno): a
 * multipart CSV body made as it is sent, from generated rows or a file on disk, that holds back its second half
 * until the region has begun storing the file. An edge that held the body whole before forwarding it could never
 * get there: the request would wait for itself.
 */

export const UPLOAD_BOUNDARY = 'crm-streamed-upload-boundary';
export const UPLOAD_CONTENT_TYPE = `multipart/form-data; boundary=${UPLOAD_BOUNDARY}`;

const utf8 = new TextEncoder();
const head = (filename: string) =>
  utf8.encode(
    `--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="entity"\r\n\r\nlead\r\n` +
      `--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      'Content-Type: text/csv\r\n\r\n',
  );
const tail = utf8.encode(`\r\n--${UPLOAD_BOUNDARY}--\r\n`);

/** The bytes a multipart body adds around a file of the given name (for a Content-Length). */
export const multipartOverhead = (filename: string) => head(filename).length + tail.length;

export const CSV_HEADER = 'First name,Last name,Email,Company\n';
export const csvRow = (i: number) => `Ada ${i},Lovelace ${i},ada.${i}@engines.example,Analytical Engines ${i % 97}\n`;

/** CSV rows made as they are read, a batch per chunk: the file never exists whole. */
async function* generatedCsv(rows: number): AsyncGenerator<Uint8Array> {
  yield utf8.encode(CSV_HEADER);
  for (let i = 0; i < rows; i += 500) {
    let text = '';
    for (let j = i; j < Math.min(rows, i + 500); j++) text += csvRow(j);
    yield utf8.encode(text);
  }
}

/** A file on disk, a chunk at a time. */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) yield chunk as Uint8Array;
}

/**
 * A multipart body (entity=lead, file=<the CSV>) as a stream. After `holdAfter` bytes of the file it waits for
 * `gate` before sending more; `onSent` hears every chunk's size.
 */
export function multipartStream(options: {
  csv: { rows: number } | { path: string };
  filename?: string;
  holdAfter?: number;
  gate?: Promise<unknown>;
}): ReadableStream<Uint8Array> {
  const filename = options.filename ?? 'leads.csv';
  const source = 'rows' in options.csv ? generatedCsv(options.csv.rows) : fileChunks(options.csv.path);
  let sent = 0;
  let started = false;
  let held = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          return controller.enqueue(head(filename));
        }
        if (!held && options.gate && sent >= (options.holdAfter ?? 0)) {
          held = true;
          await options.gate;
        }
        const next = await source.next();
        if (next.done) {
          controller.enqueue(tail);
          return controller.close();
        }
        sent += next.value.length;
        controller.enqueue(next.value);
      },
      async cancel() {
        await source.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Settles when the region has begun writing an uploaded file: a temporary file appears in its storage folder
 * (FsStorage writes beside the target and renames when complete). Watched on disk, not through a spy, so it says
 * what the region did with the bytes.
 */
export async function regionStoring(stack: TestStack, region: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await storedFiles(stack, region)).some((path) => path.split('/').pop()!.startsWith('.tmp-'))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`region ${region} did not start storing an upload within ${timeoutMs} ms`);
}

/** Checks a created import: 201, the CSV's header row and every row counted. */
export function expectImportCreated(status: number, data: Record<string, unknown>, rows: number) {
  expect(status, JSON.stringify(data)).toBe(201);
  expect(data).toMatchObject({
    entity: 'lead',
    status: 'uploaded',
    headers: ['First name', 'Last name', 'Email', 'Company'],
    totalRows: rows,
  });
}

/** Every file under a region's storage folder (temporaries included), relative to it. */
export async function storedFiles(stack: TestStack, region: string): Promise<string[]> {
  const root = (stack.regions[region]!.ctx.storage as unknown as { root: string }).root;
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length));
}

/**
 * POSTs a streamed body with node:http (chunked unless a length is given), which reads an answer that comes while
 * it is still sending, as an answer to an oversized upload does (fetch() would report only the reset that may
 * follow), and which, unlike Node's fetch, does not keep what it sent.
 */
export async function postStream(
  base: string,
  path: string,
  token: string,
  options: { body: ReadableStream<Uint8Array>; length?: number },
) {
  const req = request(new URL(path, base), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': UPLOAD_CONTENT_TYPE,
      ...(options.length === undefined ? {} : { 'content-length': String(options.length) }),
    },
  });
  const answered = once(req, 'response');
  req.on('error', () => {});
  let closed = false;
  req.once('close', () => {
    closed = true;
    req.emit('drain');
  });
  (async () => {
    const reader = options.body.getReader();
    for (let next = await reader.read(); !next.done && !closed; next = await reader.read()) {
      if (!req.write(next.value) && !closed) await once(req, 'drain');
    }
    await reader.cancel().catch(() => {});
    req.end();
  })().catch(() => {});
  const [response] = (await answered) as [IncomingMessage];
  let text = '';
  for await (const chunk of response) text += chunk;
  req.destroy();
  return { status: response.statusCode ?? 0, text };
}
