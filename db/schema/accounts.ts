import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, organizationId, updatedAt } from './columns.ts';

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull(),
  homeRegion: text('home_region').notNull(),
  plan: text('plan').notNull().default('free'),
  /** How long personal data is kept before the retention job purges or anonymises it; the spec's 7 years. */
  retentionDays: integer('retention_days').notNull().default(2557),
  /** Admins require every member to use MFA: sign-in still works, and the web app sends them to enrol first. */
  mfaRequired: boolean('mfa_required').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const users = pgTable(
  'users',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    passwordHash: text('password_hash'),
    status: text('status', { enum: ['active', 'invited', 'disabled'] })
      .notNull()
      .default('active'),
    /** The user's own display preferences (PATCH /api/v1/me): an IANA zone, a BCP 47 locale, a date pattern. */
    timeZone: text('time_zone').notNull().default('UTC'),
    locale: text('locale').notNull().default('en-US'),
    dateFormat: text('date_format', { enum: ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY'] })
      .notNull()
      .default('YYYY-MM-DD'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('users_org_email').on(t.organizationId, t.email),
  ],
);

export const memberships = pgTable(
  'memberships',
  {
    organizationId: organizationId(),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: ['admin', 'manager', 'sales_rep', 'viewer'] }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] })],
);

export const invitations = pgTable(
  'invitations',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: uuid('created_by'),
    expiresAt: at('expires_at').notNull(),
    acceptedAt: at('accepted_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('invitations_org_token').on(t.organizationId, t.tokenHash),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    scopes: jsonb('scopes').$type<string[]>().notNull(),
    createdBy: uuid('created_by'),
    lastUsedAt: at('last_used_at'),
    revokedAt: at('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('api_keys_org_hash').on(t.organizationId, t.keyHash),
  ],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    userId: uuid('user_id').notNull(),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    revokedAt: at('revoked_at'),
    userAgent: text('user_agent'),
    ip: text('ip'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('refresh_tokens_org_hash').on(t.organizationId, t.tokenHash),
    index('refresh_tokens_org_family').on(t.organizationId, t.familyId),
  ],
);

/** Which organizations this shard holds, by bucket: the routing catalog that bucket moves read. Ids only, no CRM data. */
export const tenantPlacements = pgTable(
  'tenant_placements',
  {
    organizationId: uuid('organization_id').primaryKey(),
    bucket: integer('bucket').notNull(),
    region: text('region').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('tenant_placements_bucket').on(t.bucket)],
);

/** Versioned bucket → shard assignments of one region; the highest version is in force. Kept on the region's first shard. */
export const shardMaps = pgTable(
  'shard_maps',
  {
    region: text('region').notNull(),
    version: integer('version').notNull(),
    shardIds: jsonb('shard_ids').$type<string[]>().notNull(),
    buckets: jsonb('buckets').$type<number[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.region, t.version] })],
);
