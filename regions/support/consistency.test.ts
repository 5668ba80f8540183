import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createErrorHandler } from '../../openapi/error-handlers.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { RegionContext } from '../context.ts';
import type { RegionEnv } from './actor.ts';
import { readYourWrites } from './consistency.ts';

/**
 * A region without replicas (the middleware asks its shard set only which shards have one): every kind of answer
 * a route can give must say so, or the edge goes on looking up tokens it will never need.
 */
function regionWithoutReplicas() {
  const ctx = { shards: { replicated: () => [] } } as unknown as RegionContext;
  const app = new Hono<RegionEnv>();
  app.onError(createErrorHandler());
  app.use('/api/*', readYourWrites(ctx));
  app.get('/api/json', (c) => c.json({ ok: true }, 200));
  app.get('/api/own-response', () => new Response('file', { status: 200 }));
  app.get('/api/refused', () => {
    throw new ApiError(404, 'not_found', 'No such thing');
  });
  app.get('/api/crashed', () => {
    throw new Error('boom');
  });
  app.post('/api/made', (c) => c.body(null, 204));
  return app;
}

describe('X-Read-Replicas', () => {
  it('says 0 on every answer of a region without replicas', async () => {
    const app = regionWithoutReplicas();
    const answers = await Promise.all([
      app.request('/api/json'),
      app.request('/api/own-response'),
      app.request('/api/refused'),
      app.request('/api/crashed'),
      app.request('/api/made', { method: 'POST' }),
      app.request('/api/nowhere'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 404, 500, 204, 404]);
    for (const answer of answers) expect(answer.headers.get('x-read-replicas')).toBe('0');
  });
});
