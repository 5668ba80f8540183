import type { RequestContext } from '../../edge/protocol/principal.ts';
import { signRequest } from '../../edge/protocol/signature.ts';

/** Signed JSON calls from one region to another (for the directory a peer owns). */
export function createRegionClient(baseUrl: string, key: CryptoKey) {
  return async function call<T>(
    path: string,
    body: unknown,
    context: RequestContext,
  ): Promise<{ status: number; data: T }> {
    const text = JSON.stringify(body);
    const headers = await signRequest(key, { method: 'POST', pathAndQuery: path, body: text, context });
    const response = await fetch(new URL(path, baseUrl), {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: text,
      signal: AbortSignal.timeout(10_000),
    });
    const data = (await response.json().catch(() => null)) as T;
    if (response.status >= 500) throw new Error(`directory at ${baseUrl} answered ${response.status}`);
    return { status: response.status, data };
  };
}
