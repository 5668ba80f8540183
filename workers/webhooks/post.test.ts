import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from './post.ts';

// A real receiver: /redirect answers 302, /slow never answers in time, anything else 200 with a long body.
const server = createServer((request, response) => {
  if (request.url === '/redirect') {
    response.writeHead(302, { location: '/ok' });
    response.end();
  } else if (request.url === '/slow') {
    setTimeout(() => response.end('late'), 2000);
  } else {
    response.end('x'.repeat(5000));
  }
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const allowed = { timeoutMs: 1000, allowPrivate: true };
const guarded = { timeoutMs: 1000, allowPrivate: false };

describe('postWebhook', () => {
  it('answers the status, a truncated excerpt and the duration', async () => {
    const result = await postWebhook(`http://127.0.0.1:${port}/ok`, {}, '{}', allowed);
    expect(result).toMatchObject({ status: 200, error: null });
    expect(result.excerpt).toHaveLength(1024);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('does not follow redirects', async () => {
    expect(await postWebhook(`http://127.0.0.1:${port}/redirect`, {}, '{}', allowed)).toMatchObject({ status: 302 });
  });

  it('gives up after the timeout', async () => {
    const result = await postWebhook(`http://127.0.0.1:${port}/slow`, {}, '{}', { ...allowed, timeoutMs: 200 });
    expect(result).toMatchObject({ status: null, error: 'timed out after 200 ms' });
  });

  it('never connects to a private address unless allowed, by literal or by name', async () => {
    const literal = await postWebhook(`http://127.0.0.1:${port}/ok`, {}, '{}', guarded);
    expect(literal).toMatchObject({ status: null, error: '127.0.0.1 is a private address' });
    const named = await postWebhook(`http://localhost:${port}/ok`, {}, '{}', guarded);
    expect(named.status).toBeNull();
    expect(named.error).toMatch(/private addresses/);
  });
});
