import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/**
 * The fetch the edge uses on Node (edge/node.ts; never bundled for workerd or Deno, which stream a request body
 * without holding it). Node's own fetch (undici: 6.24 in Node 20.20, and 7.24 alike) keeps every chunk of a
 * ReadableStream request body reachable until the request ends, so a streamed 115 MiB upload cost 115 MiB of
 * memory at the edge. A request whose body is a stream therefore goes out through node:http, piped with
 * backpressure; every other request is plain fetch.
 */
export const nodeFetch: typeof fetch = (input, init) => {
  const body = init?.body;
  if (!(body instanceof ReadableStream)) return fetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  const signal = init?.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    const fail = (error: unknown) => {
      req.destroy();
      reject(error);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: init?.method ?? 'POST', headers: Object.fromEntries(new Headers(init?.headers)) });
    const aborted = () => fail(signal?.reason);
    if (signal?.aborted) return aborted();
    signal?.addEventListener('abort', aborted, { once: true });
    let answered = false;
    req.once('response', (res) => {
      answered = true;
      signal?.removeEventListener('abort', aborted);
      resolve(toResponse(res, init?.method));
    });
    req.once('error', (error) => {
      if (!answered) fail(error);
    });
    const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
    // The body failing (over the edge's limit, the client gone) ends the request with its error; after an early
    // answer, the rest of the body is simply not sent, and the answer is still read.
    source.once('error', (error) => {
      if (answered) source.unpipe(req);
      else fail(error);
    });
    source.pipe(req);
  });
};

function toResponse(res: IncomingMessage, method = 'POST'): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    else if (value !== undefined) headers.set(name, value);
  }
  const status = res.statusCode ?? 502;
  const empty = status === 204 || status === 304 || method === 'HEAD';
  if (empty) res.resume();
  const body = empty ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: res.statusMessage, headers });
}
