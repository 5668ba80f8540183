import { boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Global, CRM-data-free: where an organization lives, found by its slug. */
export const directoryOrganizations = pgTable('directory_organizations', {
  slug: text('slug').primaryKey(),
  organizationId: uuid('organization_id').notNull().unique(),
  region: text('region').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Global: which organization and region a login email belongs to, before any token exists. */
export const directoryLogins = pgTable('directory_logins', {
  email: text('email').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  userId: uuid('user_id').notNull(),
  region: text('region').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Global: failed sign-ins per normalised email (registered or not) and per client network, so the growing delays
 * of regions/auth/lockout.ts hold whichever region an attempt reaches and survive restarts. Keys are SHA-256
 * digests (`account:…`, `ip:…`), never the address itself; rows quiet for two days are pruned.
 */
export const loginThrottles = pgTable(
  'login_throttles',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  (t) => [index('login_throttles_last_failure_idx').on(t.lastFailureAt)],
);

/**
 * Global: verified email domains and the organization that proved it holds each (one per domain), so an SSO
 * sign-in by email finds its organization and region before the user exists, and password sign-in can be refused
 * for a domain whose organization requires SSO.
 */
export const directorySsoDomains = pgTable('directory_sso_domains', {
  domain: text('domain').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  region: text('region').notNull(),
  requireSso: boolean('require_sso').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
