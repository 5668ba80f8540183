import type { BatchHandler, BusEvent, SubscribeOptions, Subscription } from './bus.ts';

/** What every adapter falls back to when a subscription leaves an option out. */
export const SUBSCRIBE_DEFAULTS = { batchSize: 100, maxAttempts: 5, retryDelayMs: 500 } as const;

/** Doubling stops here, so a generous maxAttempts does not park a group for hours. */
const MAX_RETRY_DELAY_MS = 60_000;

export type ResolvedSubscribeOptions = Required<Omit<SubscribeOptions, 'types'>> & { types: string[] | undefined };

export function resolveSubscribeOptions(options: SubscribeOptions): ResolvedSubscribeOptions {
  const resolved = {
    types: options.types && options.types.length > 0 ? [...options.types] : undefined,
    batchSize: options.batchSize ?? SUBSCRIBE_DEFAULTS.batchSize,
    maxAttempts: options.maxAttempts ?? SUBSCRIBE_DEFAULTS.maxAttempts,
    retryDelayMs: options.retryDelayMs ?? SUBSCRIBE_DEFAULTS.retryDelayMs,
  };
  if (!Number.isInteger(resolved.batchSize) || resolved.batchSize < 1) throw new Error('batchSize must be >= 1');
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) throw new Error('maxAttempts must be >= 1');
  if (!(resolved.retryDelayMs >= 0)) throw new Error('retryDelayMs must be >= 0');
  for (const type of resolved.types ?? []) assertTypePattern(type);
  return resolved;
}

/**
 * What a subscription calls: `one` for an event alone (every adapter, and every retry), `many` when given for
 * the events in hand together (subscribeBatches).
 */
export type Handling = { one: (event: BusEvent) => Promise<void>; many?: BatchHandler };

export const oneByOne = (handler: (event: BusEvent) => Promise<void>): Handling => ({ one: handler });

export const inBatches = (handler: BatchHandler): Handling => ({ one: (event) => handler([event]), many: handler });

/**
 * Hands several events to `many` at once: true when they all settled. False (nothing settled) when there is no
 * `many`, one event or none, or `many` threw; the caller then settles them one by one, each with its own retries.
 */
export async function settledTogether(
  events: readonly BusEvent[],
  handling: Handling,
  onError: (error: unknown) => void,
): Promise<boolean> {
  if (!handling.many || events.length < 2) return false;
  try {
    await handling.many(events);
    return true;
  } catch (error) {
    onError(error);
    return false;
  }
}

/** Keeps a subscription in `running` until it stops, so the bus's close() can stop those still running. */
export function tracked(running: Set<Subscription>, subscription: Subscription): Subscription {
  const entry: Subscription = {
    async stop() {
      await subscription.stop();
      running.delete(entry);
    },
  };
  running.add(entry);
  return entry;
}

/** How handling one event ended: settled, dead (attempts used up), or abandoned because the subscription stops. */
export type Outcome =
  | { kind: 'settled' }
  | { kind: 'dead'; error: string; attempts: number }
  | { kind: 'abandoned'; attempts: number };

/**
 * Calls the handler until it resolves, waiting `retryDelayMs · 2^(n-1)` (at most a minute) between attempts, in place: the events
 * after this one wait, so one organization's events stay in order while one of them is retried. `priorAttempts`
 * counts attempts made before (an earlier delivery the broker redelivers). A stop during a back-off abandons the
 * event unsettled, for the next process of the group to take up.
 */
export async function settle(
  event: BusEvent,
  handler: (event: BusEvent) => Promise<void>,
  options: { maxAttempts: number; retryDelayMs: number; priorAttempts?: number; stopping: AbortSignal },
): Promise<Outcome> {
  let attempts = options.priorAttempts ?? 0;
  for (;;) {
    attempts++;
    try {
      await handler(event);
      return { kind: 'settled' };
    } catch (error) {
      if (attempts >= options.maxAttempts) return { kind: 'dead', error: describeError(error), attempts };
      const delay = Math.min(options.retryDelayMs * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);
      if (!(await pause(delay, options.stopping))) return { kind: 'abandoned', attempts };
    }
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
}

/** Waits `ms`; resolves false at once when the signal aborts (or had aborted). */
export function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (completed: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(completed);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Region and type tokens become NATS subject tokens and Kafka topic names, so they keep to what both allow.
const TOKEN = /^[A-Za-z0-9_-]+$/;
const TYPE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Group names become a NATS durable name, a Kafka group id and topic suffix, and a Postgres key. */
export function assertGroupName(group: string): void {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(group)) {
    throw new Error(`event bus: group "${group}" must be 1-100 letters, digits, "_" or "-"`);
  }
}

/** `lead.created` or `lead.*`. */
export function assertTypePattern(pattern: string): void {
  const exact = pattern.endsWith('.*') ? pattern.slice(0, -2) : pattern;
  if (!TYPE.test(exact) && !(pattern.endsWith('.*') && TOKEN.test(exact))) {
    throw new Error(`event bus: type filter "${pattern}" must look like "lead.created" or "lead.*"`);
  }
}

export function assertPublishable(event: BusEvent): void {
  const where = `event bus: event ${JSON.stringify(event.id)}`;
  if (!UUID.test(event.id)) throw new Error(`${where}: id must be a UUID`);
  if (!TYPE.test(event.type)) throw new Error(`${where}: type "${event.type}" must look like "lead.created"`);
  if (!TOKEN.test(event.region)) throw new Error(`${where}: region "${event.region}" must be a single token`);
  if (!UUID.test(event.organizationId)) throw new Error(`${where}: organizationId must be a UUID`);
  if (!UUID.test(event.aggregateId)) throw new Error(`${where}: aggregateId must be a UUID`);
  if (Number.isNaN(Date.parse(event.occurredAt))) throw new Error(`${where}: occurredAt must be an ISO-8601 time`);
}

/** The wire form of an event on NATS and Kafka: the event itself, as JSON. */
export const encodeEvent = (event: BusEvent): string =>
  JSON.stringify({
    id: event.id,
    type: event.type,
    organizationId: event.organizationId,
    region: event.region,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    occurredAt: event.occurredAt,
    payload: event.payload ?? null,
  } satisfies BusEvent);

export const decodeEvent = (text: string): BusEvent => JSON.parse(text) as BusEvent;
