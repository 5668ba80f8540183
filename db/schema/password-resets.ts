import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, organizationId } from './columns.ts';

/**
 * Password-reset links: only the SHA-256 of each token is kept. A link is good once and for a short while; a newer
 * request, a completed reset, or the password changing otherwise ends every earlier one.
 */
export const passwordResets = pgTable(
  'password_resets',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    revokedAt: at('revoked_at'),
    requestedIp: text('requested_ip'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('password_resets_org_hash').on(t.organizationId, t.tokenHash),
    index('password_resets_org_user').on(t.organizationId, t.userId),
  ],
);
