import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, organizationId } from './columns.ts';

/** Written in the same transaction as the change it describes; a relay publishes it to the bus. */
export const outbox = pgTable(
  'outbox',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    aggregateType: text('aggregate_type').notNull(),
    aggregateId: uuid('aggregate_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    publishedAt: at('published_at'),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('outbox_org_aggregate').on(t.organizationId, t.aggregateId),
  ],
);

/** Which relay may publish a shard's outbox, until when: one publishes, the others stand by. */
export const outboxRelayLease = pgTable('outbox_relay_lease', {
  shard: text('shard').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** Events a consumer has applied, written in the same transaction as the effect: a redelivery finds it and skips. */
export const processedEvents = pgTable(
  'processed_events',
  {
    organizationId: organizationId(),
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.consumer, t.eventId] })],
);

export const auditLog = pgTable(
  'audit_log',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    actorType: text('actor_type', { enum: ['user', 'api_key', 'system'] }).notNull(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: uuid('target_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    changes: jsonb('changes'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('audit_log_org_target').on(t.organizationId, t.targetId),
  ],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    organizationId: organizationId(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: jsonb('response'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.key] })],
);
