import { zValidator } from '@hono/zod-validator';
import type { Hono } from 'hono';
import { z } from 'zod';
import type {
  LoginThrottleStore,
  ThrottleFailure,
  ThrottleLock,
  ThrottleState,
} from '../../db/directory/login-throttle.ts';
import { validationHook } from '../../openapi/error-handlers.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { RegionContext } from '../context.ts';
import type { RegionEnv } from '../support/actor.ts';
import { createRegionClient } from '../support/region-client.ts';

/** Dates cross the wire as ISO strings. */
type WireLock = { key: string; lockedUntil: string };
type WireState = { key: string; failures: number; lockedUntil: string | null };

/** The login throttle of a peer region that owns the directory (the embedded default: one PGlite in the first). */
export class HttpLoginThrottle implements LoginThrottleStore {
  private readonly call: ReturnType<typeof createRegionClient>;
  constructor(baseUrl: string, key: CryptoKey) {
    this.call = createRegionClient(baseUrl, key);
  }

  private async ask<T>(operation: string, body: unknown): Promise<T> {
    const { status, data } = await this.call<{ result: T }>(`/internal/login-throttle/${operation}`, body, {
      requestId: crypto.randomUUID(),
    });
    if (status !== 200) throw new Error(`login throttle ${operation} answered ${status}`);
    return data.result;
  }

  async locks(keys: readonly string[], now: Date): Promise<ThrottleLock[]> {
    const rows = await this.ask<WireLock[]>('locks', { keys, now: now.toISOString() });
    return rows.map((row) => ({ key: row.key, lockedUntil: new Date(row.lockedUntil) }));
  }

  async recordFailures(failures: readonly ThrottleFailure[], now: Date): Promise<ThrottleState[]> {
    const rows = await this.ask<WireState[]>('record-failures', { failures, now: now.toISOString() });
    return rows.map((row) => ({ ...row, lockedUntil: row.lockedUntil === null ? null : new Date(row.lockedUntil) }));
  }

  async clear(key: string): Promise<void> {
    await this.ask<null>('clear', { key });
  }
}

const Key = z.string().min(1).max(200);
const Rule = z.strictObject({
  threshold: z.number().int().min(1).max(1_000_000),
  baseSeconds: z.number().int().min(1).max(86_400),
  maxSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400),
  forgetSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400),
});
const Instant = z.iso.datetime();

/** Served by the region that owns the directory, to peers (signed, like /internal/directory). */
export function registerLoginThrottleRoutes(app: Hono<RegionEnv>, ctx: RegionContext) {
  const v = <T extends z.ZodType>(schema: T) => zValidator('json', schema, validationHook);
  const store = () => {
    if (!ctx.loginLockout.ownsStore) {
      throw new ApiError(404, 'not_found', 'This region does not keep the directory');
    }
    return ctx.loginLockout.store;
  };
  app.post(
    '/internal/login-throttle/locks',
    v(z.strictObject({ keys: z.array(Key).max(10), now: Instant })),
    async (c) => {
      const { keys, now } = c.req.valid('json');
      return c.json({ result: await store().locks(keys, new Date(now)) });
    },
  );
  app.post(
    '/internal/login-throttle/record-failures',
    v(z.strictObject({ failures: z.array(z.strictObject({ key: Key, rule: Rule })).max(10), now: Instant })),
    async (c) => {
      const { failures, now } = c.req.valid('json');
      return c.json({ result: await store().recordFailures(failures, new Date(now)) });
    },
  );
  app.post('/internal/login-throttle/clear', v(z.strictObject({ key: Key })), async (c) => {
    await store().clear(c.req.valid('json').key);
    return c.json({ result: null });
  });
}
