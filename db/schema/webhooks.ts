import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, organizationId, updatedAt } from './columns.ts';

export const webhookSubscriptionStatuses = ['active', 'disabled'] as const;
export const webhookDeliveryStatuses = ['pending', 'retrying', 'delivered', 'failed'] as const;

/**
 * Where an organization wants its events POSTed. `secret` signs each delivery (HMAC-SHA256) and must be readable
 * to sign, so it is kept as is (it is shown to the admin once, at creation or rotation, and never listed).
 * `consecutiveFailures` counts deliveries that used up their retries since the last success; at the threshold the
 * subscription is disabled with `disabledReason`.
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    url: text('url').notNull(),
    description: text('description'),
    eventTypes: text('event_types').array().notNull(),
    secret: text('secret').notNull(),
    status: text('status', { enum: webhookSubscriptionStatuses }).notNull().default('active'),
    disabledReason: text('disabled_reason'),
    disabledAt: at('disabled_at'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] })],
);

/** One event to one subscription: its attempts, last answer and when the next attempt is due. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    subscriptionId: uuid('subscription_id').notNull(),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The exact JSON body POSTed, so a replay sends the same payload. */
    body: jsonb('body').notNull(),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    responseExcerpt: text('response_excerpt'),
    error: text('error'),
    durationMs: integer('duration_ms'),
    nextAttemptAt: at('next_attempt_at'),
    lastAttemptAt: at('last_attempt_at'),
    deliveredAt: at('delivered_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('webhook_deliveries_org_subscription').on(t.organizationId, t.subscriptionId, t.id),
  ],
);

/** A public URL (`POST /api/v1/inbound/{token}`) that turns an external tool's JSON into a lead via `mapping`. */
export const inboundEndpoints = pgTable(
  'inbound_endpoints',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** Lead field → dot path into the posted JSON, e.g. { "email": "user.email" }. */
    mapping: jsonb('mapping').notNull(),
    defaults: jsonb('defaults'),
    active: boolean('active').notNull().default(true),
    lastUsedAt: at('last_used_at'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('inbound_endpoints_org_token').on(t.organizationId, t.tokenHash),
  ],
);
