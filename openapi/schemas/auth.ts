import { z } from '@hono/zod-openapi';
import { RoleSchema, Timestamp } from './common.ts';
import { routableExample } from './examples.ts';
import { MfaStatus } from './mfa.ts';
import { permissions } from './permissions.ts';
import { profileFields } from './profile.ts';
import { storableText } from './text.ts';

export const Email = z.email().max(254).openapi({ example: 'ada@example.com' });
export const Password = z
  .string()
  .min(10, 'Use at least 10 characters')
  .max(256)
  .openapi({ example: 'Corr3ct-Horse-Battery!' });
const RegionName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,15}$/, 'A region name such as us, eu or ap')
  .openapi({ example: 'eu' });

export const SignupInput = z
  .strictObject({
    organization: storableText(100).min(2).openapi({ example: 'Analytical Engines Ltd' }),
    email: Email,
    password: Password,
    name: storableText(100).optional().openapi({ example: 'Ada Lovelace' }),
    region: RegionName.optional(),
  })
  .openapi('SignupInput');

export const LoginInput = z
  .strictObject({ email: Email, password: z.string().min(1).max(256).openapi({ example: 'Corr3ct-Horse-Battery!' }) })
  .openapi('LoginInput');

export const RefreshInput = z
  .strictObject({
    refreshToken: z
      .string()
      .min(10)
      .max(200)
      .openapi({ example: routableExample('rt') }),
  })
  .openapi('RefreshInput');

export const AcceptInviteInput = z
  .strictObject({
    token: z
      .string()
      .min(10)
      .max(200)
      .openapi({ description: 'The inviteToken from POST /api/v1/users', example: routableExample('inv') }),
    password: Password,
    name: storableText(100).optional(),
  })
  .openapi('AcceptInviteInput');

export const OrganizationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    homeRegion: z.string().openapi({ example: 'eu' }),
    plan: z.string().openapi({ example: 'free' }),
    createdAt: Timestamp,
  })
  .openapi('Organization');

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    status: z.enum(['active', 'invited', 'disabled']),
    createdAt: Timestamp,
  })
  .openapi('User');

export const TokenResponse = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().openapi({ example: 900 }),
    user: UserSchema,
    organization: OrganizationSchema,
  })
  .openapi('TokenResponse');

export const PermissionSchema = z.enum(permissions).openapi('Permission');

export const MeResponse = z
  .object({
    principal: z.enum(['user', 'api_key']),
    user: UserSchema.extend(profileFields).openapi('MeUser').nullable(),
    organization: OrganizationSchema,
    role: RoleSchema,
    permissions: z.array(PermissionSchema),
    mfa: MfaStatus.nullable().openapi({ description: "The user's multi-factor authentication; null for an API key" }),
    mfaEnrolmentRequired: z
      .boolean()
      .openapi({ description: 'The organization requires MFA and this user has none: they should enrol first' }),
  })
  .openapi('Me');

export const InviteInput = z
  .strictObject({
    email: Email,
    name: storableText(100).optional(),
    role: RoleSchema,
  })
  .openapi('InviteInput');

export const InviteResponse = z
  .object({
    user: UserSchema,
    inviteToken: z.string().openapi({ description: 'Shown once; the invitee sends it to /api/v1/auth/accept-invite' }),
    inviteExpiresAt: Timestamp,
  })
  .openapi('Invitation');

export const UserPatch = z
  .strictObject({
    role: RoleSchema.optional(),
    name: storableText(100).optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('UserPatch');

export const UserList = z.object({ data: z.array(UserSchema) }).openapi('UserList');

export const ApiKeyInput = z
  .strictObject({
    name: storableText(100).min(1).openapi({ example: 'Zapier sync' }),
    scopes: z.array(PermissionSchema).min(1).max(permissions.length),
  })
  .openapi('ApiKeyInput');

export const ApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ example: 'ck_us_0193a5f2' }),
    scopes: z.array(PermissionSchema),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .openapi('ApiKey');

export const ApiKeyCreated = z
  .object({
    apiKey: ApiKeySchema,
    key: z.string().openapi({ description: 'The secret, shown only in this response', example: routableExample('ck') }),
  })
  .openapi('ApiKeyCreated');

export const ApiKeyList = z.object({ data: z.array(ApiKeySchema) }).openapi('ApiKeyList');
