import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedRequest = { path: string; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * A real HTTP receiver for tests, on an ephemeral port: it records every request and answers with the status
 * `answer` returns for the n-th request (1-based) of the same delivery (`Webhook-Id`) to its path, so a test can
 * make each delivery fail and then recover, whatever other deliveries arrive meanwhile.
 */
export async function startReceiver(answer: (path: string, n: number) => number = () => 200) {
  const received: ReceivedRequest[] = [];
  const counts = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const key = `${path} ${request.headers['webhook-id']}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = answer(path, n);
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status < 300 ? 'ok' : `failure ${n}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    at: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
