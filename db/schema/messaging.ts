import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, createdAt, organizationId, updatedAt } from './columns.ts';
import {
  emailKinds,
  emailStatuses,
  notificationChannels,
  notificationLinkTypes,
  notificationTypes,
  suppressionReasons,
} from './messaging-enums.ts';

export * from './messaging-enums.ts';

/**
 * A member's in-app notifications. `seq` numbers each user's notifications in commit order (it is taken from
 * their counter row, locked until the inserting transaction ends), so a live stream that reads `seq > last` never
 * skips a notification committed late; the UUIDv7 id orders the list like every other.
 */
export const notifications = pgTable(
  'notifications',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    userId: uuid('user_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    type: text('type', { enum: notificationTypes }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    linkType: text('link_type', { enum: notificationLinkTypes }),
    linkId: uuid('link_id'),
    readAt: at('read_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('notifications_org_user_seq').on(t.organizationId, t.userId, t.seq),
    index('notifications_org_user_id').on(t.organizationId, t.userId, t.id),
    index('notifications_org_user_unread').on(t.organizationId, t.userId, t.id).where(sql`${t.readAt} is null`),
  ],
);

/** The last `seq` given to each user's notifications; its row lock orders concurrent notifications of one user. */
export const notificationCounters = pgTable(
  'notification_counters',
  {
    organizationId: organizationId(),
    userId: uuid('user_id').notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] })],
);

/** A member's choices per notification type and channel; only what differs from the defaults is stored. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    organizationId: organizationId(),
    userId: uuid('user_id').notNull(),
    type: text('type', { enum: notificationTypes }).notNull(),
    channel: text('channel', { enum: notificationChannels }).notNull(),
    enabled: boolean('enabled').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId, t.type, t.channel] })],
);

/**
 * Every email the organization sends, one row per recipient: what to render (template and its data), to whom, and
 * how it went. The email worker renders and sends it; the row is how a retried job knows it was already sent.
 */
export const emailMessages = pgTable(
  'email_messages',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    kind: text('kind', { enum: emailKinds }).notNull(),
    template: text('template').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    contactId: uuid('contact_id'),
    userId: uuid('user_id'),
    campaignId: uuid('campaign_id'),
    activityId: uuid('activity_id'),
    status: text('status', { enum: emailStatuses }).notNull().default('queued'),
    /** The job that claimed the send: its own retry may send again, any other job leaves the email alone. */
    claimedBy: text('claimed_by'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    smtpMessageId: text('smtp_message_id'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    sentAt: at('sent_at'),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('email_messages_org_campaign').on(t.organizationId, t.campaignId),
    index('email_messages_org_contact').on(t.organizationId, t.contactId, t.id),
  ],
);

/** Addresses an organization sends nothing more to (an unsubscribe stops bulk email only; see workers/email). */
export const emailSuppressions = pgTable(
  'email_suppressions',
  {
    organizationId: organizationId(),
    /** Lower case, as contacts store it. */
    address: text('address').notNull(),
    reason: text('reason', { enum: suppressionReasons }).notNull(),
    detail: text('detail'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.address, t.reason] })],
);

/** Each organization's token bucket for outgoing email: how many sends it may make now, as of `refilledAt`. */
export const emailThrottle = pgTable(
  'email_throttle',
  {
    organizationId: organizationId(),
    tokens: doublePrecision('tokens').notNull(),
    refilledAt: at('refilled_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId] })],
);
