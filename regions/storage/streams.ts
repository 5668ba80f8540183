import { badRequest } from '../../openapi/errors.ts';

/**
 * Holds a streamed request body to the length the edge signed (its client's Content-Length): more bytes, or fewer
 * at the end, fail the stream with a 400, so a body cannot be lengthened on its way from the edge. `null` (the
 * client sent it chunked) passes it as it is; the upload's own limits still count it.
 */
export function exactLength(body: ReadableStream<Uint8Array>, length: number | null): ReadableStream<Uint8Array> {
  if (length === null) return body;
  const reader = body.getReader();
  let seen = 0;
  const wrong = () => badRequest('body_length_mismatch', `The body is not the ${length} bytes it was declared to be`);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return seen === length ? controller.close() : controller.error(wrong());
        seen += value.byteLength;
        if (seen > length) {
          await reader.cancel().catch(() => {});
          return controller.error(wrong());
        }
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/**
 * Reads the first `bytes` bytes of a stream (fewer if it is shorter) and gives back a stream of the whole, those
 * bytes included: what a type check by magic number needs before the file is stored as it arrives.
 */
export async function peek(
  stream: ReadableStream<Uint8Array>,
  bytes: number,
): Promise<{ head: Uint8Array; stream: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let have = 0;
  let ended = false;
  while (have < bytes) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    chunks.push(value);
    have += value.byteLength;
  }
  const head = new Uint8Array(Math.min(have, bytes));
  let at = 0;
  for (const chunk of chunks) {
    if (at >= head.length) break;
    const part = chunk.subarray(0, head.length - at);
    head.set(part, at);
    at += part.length;
  }
  const whole = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = chunks.shift();
        if (next) return controller.enqueue(next);
        if (ended) return controller.close();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return { head, stream: whole };
}

/**
 * Two readers of one stream in step: a chunk is read from the source only when both want one, so the faster
 * reader waits for the slower and neither queues more than a chunk (ReadableStream.tee would let the faster one
 * run ahead and the slower one's queue grow with the file). `abort` fails both, for when one reader's failure
 * makes the other's work pointless. A reader that cancels leaves the other to read on alone.
 */
export function lockstep(source: ReadableStream<Uint8Array>) {
  const reader = source.getReader();
  const controllers: ReadableStreamDefaultController<Uint8Array>[] = [];
  const live = [true, true];
  let pumping = false;
  const ready = () => controllers.every((c, i) => !live[i] || (c.desiredSize ?? 0) > 0);
  const end = (each: (c: ReadableStreamDefaultController<Uint8Array>) => void) => {
    controllers.forEach((c, i) => {
      if (live[i]) each(c);
    });
    live.fill(false);
  };
  async function pump() {
    if (pumping) return;
    pumping = true;
    try {
      while (live.some(Boolean) && ready()) {
        const { done, value } = await reader.read();
        if (done) return end((c) => c.close());
        controllers.forEach((c, i) => {
          if (live[i]) c.enqueue(value);
        });
      }
    } catch (error) {
      end((c) => c.error(error));
    } finally {
      pumping = false;
    }
  }
  const branch = (i: number) =>
    new ReadableStream<Uint8Array>(
      {
        start(controller) {
          controllers[i] = controller;
        },
        pull: () => pump(),
        async cancel(reason) {
          live[i] = false;
          if (live.some(Boolean)) await pump();
          else await reader.cancel(reason).catch(() => {});
        },
      },
      { highWaterMark: 1 },
    );
  const streams = [branch(0), branch(1)] as const;
  return {
    streams,
    abort(error: unknown) {
      end((c) => c.error(error));
      reader.cancel(error).catch(() => {});
    },
  };
}
