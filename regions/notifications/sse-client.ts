/** A server-sent event as a client sees it. */
export type ServerSentEvent = { id: string | null; event: string; data: string };

/**
 * A minimal Server-Sent Events reader over fetch, for tests: it parses events and counts comment lines as they
 * arrive, and `close()` leaves like a browser tab does (the connection is aborted).
 */
export async function readEventStream(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const events: ServerSentEvent[] = [];
  const comments: string[] = [];
  let retry: number | null = null;
  let ended = false;
  const decoder = new TextDecoder();
  let buffer = '';

  const parse = (block: string) => {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line.startsWith('retry: ')) retry = Number(line.slice(7));
    }
    if (data.length > 0) events.push({ id, event, data: data.join('\n') });
  };

  const pumped = (async () => {
    if (!response.body) return;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
    }
  })();

  async function waitFor(check: () => boolean, ms = 15_000): Promise<void> {
    const until = Date.now() + ms;
    while (!check()) {
      if (Date.now() > until) throw new Error(`timed out; events so far: ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  return {
    response,
    events,
    comments,
    retry: () => retry,
    ended: () => ended,
    waitFor,
    /** The `notification` events' payloads, in order. */
    notifications: () => events.filter((e) => e.event === 'notification').map((e) => JSON.parse(e.data)),
    async close() {
      controller.abort();
      await pumped;
    },
  };
}
