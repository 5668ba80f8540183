import type { z } from '@hono/zod-openapi';
import type {
  AcceptInviteInput,
  ApiKeyCreated,
  ApiKeyInput,
  ApiKeyList,
  ApiKeySchema,
  InviteInput,
  InviteResponse,
  LoginInput,
  MeResponse,
  OrganizationSchema,
  RefreshInput,
  SignupInput,
  TokenResponse,
  UserList,
  UserPatch,
  UserSchema,
} from './auth.ts';
import type { ErrorSchema } from './common.ts';
import type { LeadInput, LeadList, LeadPatch, LeadSchema } from './leads.ts';

/**
 * Example payloads for the document. Each is typed by the schema it illustrates, so a renamed or retyped field
 * breaks the type check here instead of leaving a stale example; redocly's example rules check the rest
 * (formats, lengths, patterns) against the generated JSON Schema.
 */
type In<T extends z.ZodType> = z.input<T>;
type Out<T extends z.ZodType> = z.output<T>;

const organizationId = '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e';
const orgHex = organizationId.replace(/-/g, '');
const adminId = '0193a5f2-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const repId = '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a';
const leadId = '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b';
const apiKeyId = '0193a5f5-4d5e-7f6a-9b7c-8d9e0f1a2b3c';

/**
 * Refresh tokens, invitations and API keys look like `<kind>_<region>_<organization hex><48 random hex>`, so the
 * edge can route them. Kept in this module, which imports only types, so the schema modules can use it too.
 */
export const routableExample = (kind: 'rt' | 'inv' | 'ck' | 'prt' | 'sgn' | 'mfa' | 'sso') =>
  `${kind}_eu_${orgHex}9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822c`;

export const signupInputExample: In<typeof SignupInput> = {
  organization: 'Analytical Engines Ltd',
  email: 'ada@analytical.example',
  password: 'Corr3ct-Horse-Battery!',
  name: 'Ada Lovelace',
  region: 'eu',
};

export const loginInputExample: In<typeof LoginInput> = {
  email: 'ada@analytical.example',
  password: 'Corr3ct-Horse-Battery!',
};

export const refreshInputExample: In<typeof RefreshInput> = { refreshToken: routableExample('rt') };

export const acceptInviteInputExample: In<typeof AcceptInviteInput> = {
  token: routableExample('inv'),
  password: 'An0ther-Long-Passphrase',
  name: 'Charles Babbage',
};

export const organizationExample: Out<typeof OrganizationSchema> = {
  id: organizationId,
  name: 'Analytical Engines Ltd',
  slug: 'analytical-engines-ltd',
  homeRegion: 'eu',
  plan: 'free',
  createdAt: '2026-11-25T15:06:50.000Z',
};

export const adminExample: Out<typeof UserSchema> = {
  id: adminId,
  email: 'ada@analytical.example',
  name: 'Ada Lovelace',
  role: 'admin',
  status: 'active',
  createdAt: '2026-11-25T15:06:50.000Z',
};

const invitedExample: Out<typeof UserSchema> = {
  id: repId,
  email: 'charles@analytical.example',
  name: 'Charles Babbage',
  role: 'sales_rep',
  status: 'invited',
  createdAt: '2026-11-26T09:12:03.000Z',
};

export const tokenResponseExample: Out<typeof TokenResponse> = {
  accessToken:
    'eyJhbGciOiJFUzI1NiIsImtpZCI6ImV1LTEiLCJ0eXAiOiJKV1QifQ.eyJzdWIiOiIwMTkzYTVmMi0xYTJiIn0.c2lnbmF0dXJlLWdvZXMtaGVyZQ',
  refreshToken: routableExample('rt'),
  tokenType: 'Bearer',
  expiresIn: 900,
  user: adminExample,
  organization: organizationExample,
};

export const meExample: Out<typeof MeResponse> = {
  principal: 'user',
  user: { ...adminExample, timeZone: 'Europe/London', locale: 'en-GB', dateFormat: 'DD/MM/YYYY' },
  organization: organizationExample,
  role: 'admin',
  permissions: ['leads:create', 'leads:read', 'leads:update', 'leads:delete', 'users:read', 'users:manage'],
  mfa: {
    enabled: true,
    enabledAt: '2026-11-25T15:09:12.000Z',
    pendingEnrolment: false,
    recoveryCodesLeft: 10,
    organizationRequiresMfa: false,
    enrolmentRequired: false,
  },
  mfaEnrolmentRequired: false,
};

export const inviteInputExample: In<typeof InviteInput> = {
  email: 'charles@analytical.example',
  name: 'Charles Babbage',
  role: 'sales_rep',
};

export const inviteResponseExample: Out<typeof InviteResponse> = {
  user: invitedExample,
  inviteToken: routableExample('inv'),
  inviteExpiresAt: '2026-12-03T09:12:03.000Z',
};

export const userPatchExample: In<typeof UserPatch> = { role: 'manager' };

export const userExample: Out<typeof UserSchema> = { ...invitedExample, role: 'manager', status: 'active' };

export const userListExample: Out<typeof UserList> = { data: [adminExample, userExample] };

export const apiKeyInputExample: In<typeof ApiKeyInput> = {
  name: 'Zapier sync',
  scopes: ['leads:create', 'leads:read'],
};

const apiKeyExample: Out<typeof ApiKeySchema> = {
  id: apiKeyId,
  name: 'Zapier sync',
  prefix: `ck_eu_${orgHex.slice(0, 8)}`,
  scopes: ['leads:create', 'leads:read'],
  createdAt: '2026-11-27T10:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
};

export const apiKeyCreatedExample: Out<typeof ApiKeyCreated> = { apiKey: apiKeyExample, key: routableExample('ck') };

export const apiKeyListExample: Out<typeof ApiKeyList> = {
  data: [{ ...apiKeyExample, lastUsedAt: '2026-11-28T08:30:00.000Z' }],
};

export const leadInputExample: In<typeof LeadInput> = {
  firstName: 'Grace',
  lastName: 'Hopper',
  email: 'grace@navy.example',
  phone: '+1 202 555 0147',
  company: 'US Navy',
  title: 'Director of Computing',
  source: 'referral',
};

export const leadExample: Out<typeof LeadSchema> = {
  id: leadId,
  firstName: 'Grace',
  lastName: 'Hopper',
  email: 'grace@navy.example',
  phone: '+1 202 555 0147',
  company: 'US Navy',
  title: 'Director of Computing',
  source: 'referral',
  country: 'US',
  region: 'Virginia',
  industry: 'Government',
  status: 'new',
  ownerId: null,
  score: 85,
  scoreReasons: [
    { points: 10, reason: 'Has an email address' },
    { points: 15, reason: 'Work email domain (navy.example)' },
    { points: 10, reason: 'Has a phone number' },
    { points: 10, reason: 'Company known' },
    { points: 20, reason: 'Decision-maker title (Director of Computing)' },
    { points: 20, reason: 'Source: referral' },
  ],
  convertedAt: null,
  convertedContactId: null,
  convertedCompanyId: null,
  convertedDealId: null,
  customFields: { budget_confirmed: true },
  version: 1,
  createdAt: '2026-11-27T11:45:00.000Z',
  updatedAt: '2026-11-27T11:45:00.000Z',
};

export const leadPatchExample: In<typeof LeadPatch> = { status: 'qualified', ownerId: repId };

export const updatedLeadExample: Out<typeof LeadSchema> = {
  ...leadExample,
  status: 'qualified',
  ownerId: repId,
  score: 100,
  scoreReasons: [...leadExample.scoreReasons, { points: 15, reason: 'Status: qualified' }],
  version: 2,
  updatedAt: '2026-11-28T09:00:00.000Z',
};

export const leadListExample: Out<typeof LeadList> = {
  data: [leadExample],
  nextCursor: 'eyJ2IjoxLCJpZCI6IjAxOTNhNWY0LTNjNGQtN2U1Zi04YTZiLTdjOGQ5ZTBmMWEyYiJ9',
};

/** The error envelope with a given code and message, as every layer answers it. */
export const errorExample = (
  code: string,
  message: string,
  details?: { path: string; message: string }[],
): Out<typeof ErrorSchema> => ({
  error: { code, message, requestId: '0193a5f6-5e6f-7a8b-9c0d-1e2f3a4b5c6d', ...(details ? { details } : {}) },
});
