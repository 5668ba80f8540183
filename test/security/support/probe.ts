/** What one attack request sent and got back, kept whole so a failure can be replayed from its message. */
export type Probe = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | FormData | undefined;
  status: number;
  text: string;
  contentType: string;
};

/** Longer than any honest answer here takes on a loaded CI machine; a request still open then is a hang. */
export const REQUEST_TIMEOUT_MS = Number(process.env.ATTACK_REQUEST_TIMEOUT_MS ?? 15_000);

/**
 * Sends one request with a deadline. A stream is read only to its head (its status and first bytes), since it never
 * ends by itself. A request that does not answer in time rejects: the property fails with what was sent.
 */
export async function probe(
  base: string,
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | FormData;
    stream?: boolean;
  },
): Promise<Probe> {
  const headers = { ...request.headers };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('hang')), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(base + request.path, {
      method: request.method,
      headers,
      body: request.body,
      signal: controller.signal,
      redirect: 'manual',
    });
    const contentType = response.headers.get('content-type') ?? '';
    let text: string;
    if (contentType.startsWith('text/event-stream') && response.body) {
      const reader = response.body.getReader();
      const first = await reader.read();
      text = first.value ? new TextDecoder().decode(first.value) : '';
      await reader.cancel();
    } else {
      text = await response.text();
    }
    return { ...request, headers, body: request.body, status: response.status, text, contentType };
  } catch (error) {
    const sent = typeof request.body === 'string' ? request.body.slice(0, 300) : '(form)';
    throw new Error(`${request.method} ${request.path.slice(0, 300)} failed (${String(error)}); body: ${sent}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The other tenant's values found in an answer, leaving out those the request itself carried (an id sent in a
 * path may be named back in a 404; that is an echo, not a leak).
 */
export function leakedIn(result: Probe, secrets: readonly string[]): string[] {
  const sent = `${result.path}\n${typeof result.body === 'string' ? result.body : ''}\n${JSON.stringify(result.headers)}`;
  const lowerSent = sent.toLowerCase();
  const lowerText = result.text.toLowerCase();
  return secrets.filter((secret) => {
    const s = secret.toLowerCase();
    const compact = s.replace(/-/g, '');
    if (lowerSent.includes(s) || lowerSent.includes(compact) || lowerSent.includes(encodeURIComponent(s))) return false;
    return lowerText.includes(s) || (compact !== s && lowerText.includes(compact));
  });
}

/** A one-line account of a probe for assertion messages. */
export const describeProbe = (p: Probe): string =>
  `${p.method} ${p.path.slice(0, 200)} → ${p.status} ${p.text.slice(0, 300)}` +
  (typeof p.body === 'string' ? ` (body ${p.body.slice(0, 200)})` : '');
