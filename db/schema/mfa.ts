import { index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, organizationId, updatedAt } from './columns.ts';

/**
 * A user's TOTP authenticator. The secret is sealed with the region's secret box (context `totp:<userId>`), so a
 * copy of the database alone cannot mint codes. `enabledAt` is null while enrolment waits for its first code.
 * `lastTimeStep` is the newest accepted code's time step: a code is taken only from a later step, so one seen
 * (over a shoulder, in a proxy log) cannot be replayed. Failures in a row are counted across sign-in attempts.
 */
export const userMfa = pgTable(
  'user_mfa',
  {
    organizationId: organizationId(),
    userId: uuid('user_id').notNull(),
    secretSealed: text('secret_sealed').notNull(),
    enabledAt: at('enabled_at'),
    lastTimeStep: integer('last_time_step'),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lastFailedAt: at('last_failed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] })],
);

/** Single-use recovery codes: only a SHA-256 of each is kept (they carry 80 random bits; see regions/mfa). */
export const mfaRecoveryCodes = pgTable(
  'mfa_recovery_codes',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    userId: uuid('user_id').notNull(),
    codeHash: text('code_hash').notNull(),
    usedAt: at('used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('mfa_recovery_codes_org_hash').on(t.organizationId, t.codeHash),
    index('mfa_recovery_codes_org_user').on(t.organizationId, t.userId),
  ],
);

/**
 * The second step of a sign-in: issued once the password is right, named by a routable `mfa_<region>_…` token
 * (only its SHA-256 kept), good for a few minutes, once, and for a few wrong codes.
 */
export const mfaChallenges = pgTable(
  'mfa_challenges',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: at('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    usedAt: at('used_at'),
    ip: text('ip'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('mfa_challenges_org_hash').on(t.organizationId, t.tokenHash),
    index('mfa_challenges_org_user').on(t.organizationId, t.userId),
  ],
);
