/**
 * The event bus port. The relay publishes every outbox row of a region's shards here; workers consume it.
 * Three adapters implement it and pass one contract suite (./contract.ts): a Postgres log (the embedded default),
 * NATS JetStream and Kafka.
 *
 * Guarantees every adapter gives:
 * - publish() resolves only once the bus holds every event durably; events of one call keep their order.
 * - An event id is its deduplication key: publishing the same id again does not deliver it twice to a group that
 *   already saw it, within the adapter's dedupe window (unbounded for the Postgres log, JetStream's duplicate
 *   window for NATS, none for Kafka: consumers are idempotent on the id in every case).
 * - A subscription is a durable consumer group: it sees every matching event published since the group was first
 *   created (from the start of the retained log), in publish order for events of one organization, at least once.
 * - The handler's promise is the acknowledgement: an event is settled only when its handler resolved. A throw is
 *   retried with backoff; after `maxAttempts` the event goes to the group's dead letters and the group moves on.
 * - Several processes may subscribe the same group; each event is handled by one of them at a time.
 */
export type BusEvent = {
  /** The outbox row's id (UUIDv7): unique, time-ordered, the deduplication key. */
  id: string;
  /** `<aggregate>.<verb>`, e.g. `lead.created`, `deal.stage_changed`. */
  type: string;
  organizationId: string;
  /** The region whose shard wrote the event. */
  region: string;
  aggregateType: string;
  aggregateId: string;
  /** ISO-8601 time of the write. */
  occurredAt: string;
  payload: unknown;
};

export type SubscribeOptions = {
  /** Event types to receive; `lead.*` matches every lead event. Omitted: every event. */
  types?: string[];
  /** How many events one fetch asks for. */
  batchSize?: number;
  /** Attempts before an event is dead-lettered. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each attempt. */
  retryDelayMs?: number;
};

export type BatchHandler = (events: readonly BusEvent[]) => Promise<void>;

export type DeadLetter = { group: string; event: BusEvent; error: string; attempts: number; at: string };

export interface Subscription {
  /** Stops fetching, lets the event in hand finish, then resolves. */
  stop(): Promise<void>;
}

export interface EventBus {
  readonly kind: 'postgres-log' | 'nats' | 'kafka';
  publish(events: readonly BusEvent[]): Promise<void>;
  subscribe(group: string, options: SubscribeOptions, handler: (event: BusEvent) => Promise<void>): Subscription;
  /**
   * The same group, its events handed over together: consecutive events of the group (in publish order, at most
   * `batchSize`, those already waiting), settled together when the handler resolves. When it throws, each event
   * of that batch is handled alone, retried and dead-lettered as by subscribe(), so one bad event holds up only
   * itself. A consumer that pays a fixed cost per call (a transaction) pays it once per batch under load.
   */
  subscribeBatches(group: string, options: SubscribeOptions, handler: BatchHandler): Subscription;
  /** Events published but not yet settled by the group (consumer lag), for /metrics. */
  lag(group: string): Promise<number>;
  deadLetters(group: string, limit?: number): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

/** `lead.*` matches `lead.created`; an exact type matches itself. */
export function typeMatches(patterns: readonly string[] | undefined, type: string): boolean {
  if (!patterns || patterns.length === 0) return true;
  return patterns.some((p) => (p.endsWith('.*') ? type.startsWith(p.slice(0, -1)) : p === type));
}
