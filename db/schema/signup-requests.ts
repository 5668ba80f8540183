import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns.ts';

/**
 * Sign-ups waiting for their email to be confirmed (`SIGNUP_CONFIRMATION=email`), and the "an account exists"
 * notices sent instead for registered emails: every row is one email sent to `email`, which is what the per-address
 * limit counts. Region-local, on the region's catalog (first) shard: no organization owns a row yet, so the table has
 * no `organization_id` (which would make it a tenant table that bucket moves copy); `new_organization_id` is the id
 * the organization gets on confirmation, and the one the link's routable token names.
 */
export const signupRequests = pgTable(
  'signup_requests',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: ['confirm', 'exists'] }).notNull(),
    /** Normalised (lower case), as the directory keeps logins. */
    email: text('email').notNull(),
    newOrganizationId: uuid('new_organization_id').notNull(),
    organizationName: text('organization_name').notNull(),
    userName: text('user_name').notNull().default(''),
    /** argon2id, as users keep theirs; null on an "exists" notice, which creates nothing. */
    passwordHash: text('password_hash'),
    /** SHA-256 of the link's token; null on an "exists" notice. */
    tokenHash: text('token_hash'),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    requestedIp: text('requested_ip'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('signup_requests_token_hash').on(t.tokenHash),
    index('signup_requests_email_created').on(t.email, t.createdAt),
  ],
);
