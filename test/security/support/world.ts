import { rolePermissions } from '../../../regions/auth/permissions.ts';
import type { apiClient } from '../../support/api.ts';
import type { TestStack } from '../../support/stack.ts';

type Api = ReturnType<typeof apiClient>;
export type Role = keyof typeof rolePermissions;
export const ROLES = Object.keys(rolePermissions) as Role[];

/** One way to call the API as a member of an organization: a user's access token or an API key of their role. */
export type Caller = { label: string; role: Role; via: 'token' | 'api_key'; credential: string };

/**
 * An organization with one record of each kind the API has, every id kept by the kind it is named by in paths,
 * and a marker written into its text fields so its data can be recognised in any answer.
 */
export type Tenant = {
  organizationId: string;
  marker: string;
  admin: { token: string; userId: string; email: string; password: string };
  users: Record<Role, { token: string; userId: string }>;
  callers: Caller[];
  /** Record kind (see `kindOf`) → an id of that kind in this organization. */
  ids: Record<string, string>;
  /** Other values of this organization a path can name (`address`, `token`, `publicId`). */
  values: Record<string, string>;
};

function must<T>(reply: { status: number; data: T }, expected: number[], what: string): T {
  if (!expected.includes(reply.status)) throw new Error(`seed ${what}: ${reply.status} ${JSON.stringify(reply.data)}`);
  return reply.data;
}

async function upload(stack: TestStack, token: string, path: string, parts: Record<string, Blob | string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, name === 'file' ? 'seed.csv' : name);
  }
  const response = await fetch(stack.edgeUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, data: text ? JSON.parse(text) : null };
}

/**
 * Signs an organization up and makes, through the API as its admin, one record of every kind, members of every role
 * (each also with an API key of exactly that role's permissions), so every path with an id has a real one to name.
 */
export async function seedTenant(stack: TestStack, api: Api, tag: string): Promise<Tenant> {
  // The first sign-up of a process loads the password dictionaries; on a loaded machine the edge may time out
  // waiting (504): once more then, with a fresh email, so a late commit of the first attempt is harmless.
  const org = await api.signup(tag).catch((error: Error) => {
    if (!/ 504 /.test(error.message)) throw error;
    return api.signup(tag);
  });
  const token = org.token;
  const marker = `zq${api.unique(tag).replace(/[^a-z0-9]/gi, '')}`;
  const post = async (path: string, body: unknown, what = path, expected = [200, 201, 202]) =>
    must(await api.call('POST', path, { token, body }), expected, what);
  const ids: Record<string, string> = {};
  const values: Record<string, string> = {};

  const members = { admin: { token, userId: org.user.id } } as Record<Role, { token: string; userId: string }>;
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const m = await api.member(token, role, `${tag}-${role}`);
    members[role] = { token: m.token, userId: m.user.id };
  }
  ids.user = members.sales_rep.userId;

  ids.company = (await post('/api/v1/companies', { name: `${marker} Co`, domain: `${marker}.example` })).id;
  ids.lead = (
    await post('/api/v1/leads', {
      firstName: 'Ada',
      lastName: marker,
      email: `${marker}@lead.example`,
      company: `${marker} Co`,
      ownerId: members.sales_rep.userId,
    })
  ).id;
  ids.contact = (
    await post('/api/v1/contacts', {
      firstName: 'Grace',
      lastName: marker,
      email: `${marker}@contact.example`,
      companyId: ids.company,
      ownerId: members.sales_rep.userId,
      marketingEmailConsent: true,
      consentSource: 'web_form',
    })
  ).id;
  const pipeline = await post('/api/v1/pipelines', {
    name: `${marker} pipeline`,
    stages: [
      { name: 'Discovery', probability: 10 },
      { name: 'Won', kind: 'won' },
      { name: 'Lost', kind: 'lost' },
    ],
  });
  ids.pipeline = pipeline.id;
  ids.stage = pipeline.stages[0].id;
  ids.deal = (
    await post('/api/v1/deals', {
      name: `${marker} deal`,
      amount: '100.00',
      currency: 'EUR',
      pipelineId: ids.pipeline,
      contactId: ids.contact,
      companyId: ids.company,
      ownerId: members.sales_rep.userId,
    })
  ).id;
  ids.activity = (await post('/api/v1/activities', { type: 'note', body: `${marker} note`, leadId: ids.lead })).id;
  ids.attachment = must(
    await upload(stack, token, `/api/v1/leads/${ids.lead}/attachments`, {
      file: new Blob([`name\n${marker}\n`], { type: 'text/csv' }),
    }),
    [201],
    'attachment',
  ).id;
  ids.import = must(
    await upload(stack, token, '/api/v1/imports', {
      file: new Blob([`firstName,lastName\nAda,${marker}\n`], { type: 'text/csv' }),
      entity: 'lead',
    }),
    [201, 202],
    'import',
  ).id;
  ids.customField = (
    await post('/api/v1/custom-fields', { entity: 'lead', key: `k${marker}`.slice(0, 40), label: marker, type: 'text' })
  ).id;
  ids.savedView = (await post('/api/v1/saved-views', { name: marker, entity: 'lead', filters: {}, shared: true })).id;
  ids.bulkJob = (
    await post('/api/v1/leads/bulk', {
      action: 'add_tags',
      value: [marker.slice(0, 40)],
      select: { ids: [ids.lead] },
      mode: 'async',
    })
  ).id;
  ids.email = (await post('/api/v1/emails', { contactId: ids.contact, subject: marker, text: marker })).id;
  values.address = (
    await post('/api/v1/email-suppressions', { address: `${marker}@suppressed.example`, reason: 'bounced' })
  ).address;
  ids.assignmentRule = (
    await post('/api/v1/assignment-rules', {
      name: marker,
      strategy: 'round_robin',
      members: [{ userId: members.sales_rep.userId }],
    })
  ).id;
  ids.webhook = (
    await post('/api/v1/webhooks', { url: `https://${marker}.example.com/hook`, eventTypes: ['lead.*'] })
  ).subscription.id;
  const inbound = await post('/api/v1/inbound-endpoints', { name: marker, mapping: { email: 'email' } });
  ids.inboundEndpoint = inbound.endpoint.id;
  values.token = inbound.token;
  const form = await post('/api/v1/forms', {
    name: marker,
    fields: [{ name: 'email', label: 'Email', type: 'email', required: true, leadField: 'email' }],
    allowedOrigins: ['https://www.example.com'],
  });
  ids.form = form.id;
  values.publicId = form.publicId;
  ids.watch = (await post('/api/v1/watches', { targetType: 'lead', targetId: ids.lead })).id;
  ids.workflow = (
    await post('/api/v1/workflows', {
      name: marker,
      trigger: { type: 'event', event: 'lead.created' },
      actions: [{ type: 'notify', userId: 'record_owner', title: marker }],
    })
  ).id;
  const sessions = must(await api.call('GET', '/api/v1/me/sessions', { token }), [200], 'sessions');
  ids.session = sessions.data[0].id;

  const callers: Caller[] = [];
  for (const role of ROLES) {
    callers.push({ label: `${role} token`, role, via: 'token', credential: members[role].token });
    const key = await post('/api/v1/api-keys', { name: `${marker} ${role}`, scopes: [...rolePermissions[role]] });
    callers.push({ label: `${role} API key`, role, via: 'api_key', credential: key.key });
    if (role === 'viewer') ids.apiKey = key.apiKey.id;
  }
  return {
    organizationId: org.organization.id,
    marker,
    admin: { token, userId: org.user.id, email: org.user.email, password: org.password },
    users: members,
    callers,
    ids,
    values,
  };
}

/**
 * The record kind a path parameter names, from the path's shape, so a path added to the document is matched
 * without a list of paths here. `null`: an id this suite has no record for (a random UUID stands in).
 */
export function kindOf(path: string, param: string): string | null {
  const segments = path.split('/').filter(Boolean);
  const at = segments.indexOf(`{${param}}`);
  const collection = segments[at - 1] ?? '';
  if (param === 'stageId') return 'stage';
  if (param === 'attachmentId') return 'attachment';
  if (param === 'address') return 'address';
  if (param === 'token') return 'token';
  if (param === 'publicId' || param === 'script') return 'publicId';
  if (param === 'type') return 'personType';
  const byCollection: Record<string, string> = {
    leads: 'lead',
    contacts: 'contact',
    companies: 'company',
    pipelines: 'pipeline',
    deals: 'deal',
    activities: 'activity',
    users: 'user',
    sessions: 'session',
    'api-keys': 'apiKey',
    imports: 'import',
    'custom-fields': 'customField',
    'saved-views': 'savedView',
    'bulk-jobs': 'bulkJob',
    emails: 'email',
    'assignment-rules': 'assignmentRule',
    webhooks: 'webhook',
    'inbound-endpoints': 'inboundEndpoint',
    forms: 'form',
    watches: 'watch',
    workflows: 'workflow',
  };
  if (collection === '{type}') return 'person';
  return byCollection[collection] ?? null;
}

/** The value of a path parameter naming the tenant's record of that kind (`null` when it has none). */
export function valueFor(tenant: Tenant, path: string, param: string): string | null {
  const kind = kindOf(path, param);
  if (kind === null) return null;
  if (kind === 'personType') return 'lead';
  if (kind === 'person') return tenant.ids.lead ?? null;
  if (kind === 'publicId')
    return param === 'script' ? `${tenant.values.publicId}.js` : (tenant.values.publicId ?? null);
  return tenant.ids[kind] ?? tenant.values[kind] ?? null;
}

/**
 * The tenant's id for a body field or query parameter by its name (`leadId`, `ownerId`, `targetId`…), so generated
 * requests name records that exist; `ids` (a bulk selection) names records of `collection`'s kind.
 */
export function referenceFor(tenant: Tenant, name: string, collection: string | null): string | null {
  if (name === 'ids' || name === 'id') return collection ? (tenant.ids[collection] ?? null) : null;
  if (['ownerId', 'userId', 'actorId', 'assigneeId'].includes(name)) return tenant.users.sales_rep.userId;
  if (name === 'targetId') return tenant.ids.lead ?? null;
  const kind = name.endsWith('Id') ? name.slice(0, -2) : null;
  return kind ? (tenant.ids[kind] ?? null) : null;
}

/** Every string that would betray the tenant's data in another organization's answer. */
export function secretsOf(tenant: Tenant): string[] {
  return [
    tenant.marker,
    tenant.organizationId,
    tenant.admin.userId,
    ...Object.values(tenant.users).map((u) => u.userId),
    ...Object.values(tenant.ids),
    ...Object.values(tenant.values),
  ];
}
