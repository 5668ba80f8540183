import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory.ts';
import { rateLimit } from './rate-limit.ts';

function appWith(limit: number, now: () => number) {
  const app = new Hono();
  app.use(
    rateLimit({ store: new MemoryStore(), limit, windowSeconds: 60, keyOf: (c) => c.req.header('x-who') ?? null, now }),
  );
  app.get('/', (c) => c.text('ok'));
  return app;
}

describe('rateLimit', () => {
  it('lets the limit through, then answers 429 with Retry-After and the envelope', async () => {
    const app = appWith(2, () => 30_000);
    const hit = () => app.request('/', { headers: { 'x-who': 'a' } });
    expect((await hit()).headers.get('RateLimit-Remaining')).toBe('1');
    expect((await hit()).status).toBe(200);
    const refused = await hit();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('30');
    expect(refused.headers.get('RateLimit-Remaining')).toBe('0');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('counts each key on its own and lets unkeyed requests pass', async () => {
    const app = appWith(1, () => 0);
    expect((await app.request('/', { headers: { 'x-who': 'a' } })).status).toBe(200);
    expect((await app.request('/', { headers: { 'x-who': 'b' } })).status).toBe(200);
    expect((await app.request('/')).status).toBe(200);
    expect((await app.request('/')).status).toBe(200);
  });

  it('opens again in the next window', async () => {
    let now = 0;
    const app = appWith(1, () => now);
    expect((await app.request('/', { headers: { 'x-who': 'a' } })).status).toBe(200);
    expect((await app.request('/', { headers: { 'x-who': 'a' } })).status).toBe(429);
    now = 60_000;
    expect((await app.request('/', { headers: { 'x-who': 'a' } })).status).toBe(200);
  });
});
