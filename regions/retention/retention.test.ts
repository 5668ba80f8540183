import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, auditLog } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { findText } from '../privacy/scan.ts';
import { attach, make } from '../privacy/test-helpers.ts';
import { runRetention } from './run.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let admin: Session;
const ctx = () => stack.regions.us!.ctx;
const DAY = 86_400_000;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('retention');
});
afterAll(() => stack?.stop());

describe('the retention setting', () => {
  it('defaults to 2557 days; admins change it within 30–36500 days; audited', async () => {
    const read = await api.call('GET', '/api/v1/organization/retention', { token: admin.token });
    expect(read.status).toBe(200);
    expect(read.data).toEqual({ retentionDays: 2557 });
    for (const retentionDays of [29, 36_501, 1.5, '90']) {
      const bad = await api.call('PATCH', '/api/v1/organization/retention', {
        token: admin.token,
        body: { retentionDays },
      });
      expectError(bad, 400);
    }
    expectError(
      await api.call('PATCH', '/api/v1/organization/retention', { token: admin.token, body: { days: 90 } }),
      400,
    );
    const changed = await api.call('PATCH', '/api/v1/organization/retention', {
      token: admin.token,
      body: { retentionDays: 365 },
    });
    expect(changed.status, JSON.stringify(changed.data)).toBe(200);
    expect(changed.data).toEqual({ retentionDays: 365 });
    expect((await api.call('GET', '/api/v1/organization/retention', { token: admin.token })).data).toEqual({
      retentionDays: 365,
    });
    const audit = await api.call('GET', '/api/v1/audit-log?action=organization.retention_updated', {
      token: admin.token,
    });
    expect(audit.data.data[0]?.changes).toEqual({ retentionDays: [2557, 365] });
  });

  it('is for admins only', async () => {
    for (const role of ['manager', 'sales_rep', 'viewer']) {
      const member = await api.member(admin.token, role);
      expectError(await api.call('GET', '/api/v1/organization/retention', { token: member.token }), 403, 'forbidden');
      const patch = await api.call('PATCH', '/api/v1/organization/retention', {
        token: member.token,
        body: { retentionDays: 30 },
      });
      expectError(patch, 403, 'forbidden');
    }
  });
});

describe('the retention job', () => {
  it('erases people and deletes activities past the period, and leaves other organizations alone', async () => {
    const org = await api.signup('retention-job');
    const keeper = await api.signup('retention-keep');
    const set = await api.call('PATCH', '/api/v1/organization/retention', {
      token: org.token,
      body: { retentionDays: 30 },
    });
    expect(set.status).toBe(200);
    const mark = `zr${Math.random().toString(36).slice(2, 10)}`;
    const leadId = await make(api, org.token, '/api/v1/leads', {
      firstName: `${mark}first`,
      email: `${mark}@x.example`,
    });
    const contactId = await make(api, org.token, '/api/v1/contacts', { firstName: `${mark}c` });
    const activityId = await make(api, org.token, '/api/v1/activities', { type: 'note', body: `${mark} note`, leadId });
    await attach(stack, org.token, `/api/v1/leads/${leadId}`, `${mark} file`);
    const keptLead = await make(api, keeper.token, '/api/v1/leads', { firstName: `${mark}kept` });

    // Within the period nothing happens. (Checked on the shard: an edge-cached read would outlive the job's change
    // for the cache TTL, as the job's writes do not pass through the edge.)
    await runRetention(ctx(), new Date(Date.now() + 10 * DAY));
    const early = await ctx().shards.withTenant(org.organization.id, (tx) => findText(tx, [`${mark}first`]));
    expect(early).toContain('leads.first_name');

    const results = await runRetention(ctx(), new Date(Date.now() + 31 * DAY));
    expect(results).toContainEqual({ organizationId: org.organization.id, erased: 2, activitiesDeleted: 1 });
    expect(results.find((r) => r.organizationId === keeper.organization.id)).toBeUndefined();

    const lead = await api.call('GET', `/api/v1/leads/${leadId}`, { token: org.token });
    expect(lead.data).toMatchObject({ firstName: 'Erased', email: null });
    const contact = await api.call('GET', `/api/v1/contacts/${contactId}`, { token: org.token });
    expect(contact.data.firstName).toBe('Erased');
    expect((await api.call('GET', `/api/v1/activities/${activityId}`, { token: org.token })).status).toBe(404);
    const orgId = org.organization.id;
    const state = await ctx().shards.withTenant(orgId, async (tx) => ({
      left: await findText(tx, [mark]),
      activities: await tx.select().from(activities).where(eq(activities.organizationId, orgId)),
      audit: await tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.organizationId, orgId), eq(auditLog.action, 'retention.applied'))),
    }));
    expect(state.left).toEqual([]);
    expect(state.activities).toEqual([]);
    expect(state.audit).toHaveLength(1);
    expect(state.audit[0]).toMatchObject({ actorType: 'system', changes: { erased: 2, activitiesDeleted: 1 } });
    const kept = await api.call('GET', `/api/v1/leads/${keptLead}`, { token: keeper.token });
    expect(kept.data.firstName).toBe(`${mark}kept`);

    // Erased records are not erased again by the next run.
    const again = await runRetention(ctx(), new Date(Date.now() + 62 * DAY));
    expect(again.find((r) => r.organizationId === orgId)).toBeUndefined();
  });
});
