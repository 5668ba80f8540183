/** A request body on its way to a region, counted as it passes. */
export type LimitedBody = {
  stream: ReadableStream<Uint8Array>;
  /** Whether the body went past the limit (and the stream failed because of it). */
  exceeded(): boolean;
};

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the body is larger than ${limit} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/**
 * Passes `source` on a chunk at a time, pulled only as fast as the region reads it (so the edge holds about one
 * chunk, whatever the file's size), and fails with BodyTooLarge once more than `limit` bytes have passed: a body
 * sent without Content-Length, or with a false one the runtime did not catch, is cut where it crosses the limit.
 *
 * Built from the plain ReadableStream constructor, not a TransformStream with a transformer, which workerd offers
 * only behind a compatibility flag. On going past the limit the source is released, not cancelled: on Node,
 * cancelling the request body destroys the socket the 413 must still be written to; the server (@hono/node-server)
 * drains and closes it after the answer instead.
 */
export function limitedBody(source: ReadableStream<Uint8Array>, limit: number, onChunk: () => void): LimitedBody {
  const reader = source.getReader();
  let seen = 0;
  let exceeded = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        seen += value.byteLength;
        if (seen > limit) {
          exceeded = true;
          reader.releaseLock();
          return controller.error(new BodyTooLarge(limit));
        }
        onChunk();
        controller.enqueue(value);
      },
      // The region call ended (it answered early, or went away): the rest of the upload is not wanted, but is left
      // to the server to drain or drop after the answer, for the same reason as above.
      cancel() {
        try {
          reader.releaseLock();
        } catch {
          // A runtime on the older streams spec refuses while a read is pending; that read ends with the request.
        }
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, exceeded: () => exceeded };
}
