import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { defaultPipelineOf, insertPipeline, newLead, type Session, stored, storedLead } from './fixtures.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let org: Session;
let other: Session;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  [org, other] = await Promise.all([api.signup('atomic'), api.signup('atomic-other')]);
});
afterAll(() => stack?.stop());

const convert = (token: string, id: string, body?: unknown, headers: Record<string, string> = {}) =>
  api.call('POST', `/api/v1/leads/${id}/convert`, { token, body, headers });

/**
 * A lead whose conversion gets as far as inserting its company (new: the domain is unique) and its contact before
 * the deal step refuses the stage, so the rollback has real rows to undo.
 */
async function leadWithNewCompany() {
  return newLead(api, org.token, {
    firstName: 'Atomic',
    lastName: 'Lead',
    email: `atomic@${api.unique('atomic')}.example`,
    company: 'Atomic Ltd',
    ownerId: org.user.id,
  });
}

describe('a conversion that fails part-way', () => {
  it('leaves no contact, company, deal, audit row or event when the stage belongs to another pipeline', async () => {
    const lead = await leadWithNewCompany();
    const pipeline = await insertPipeline(stack, org);
    await defaultPipelineOf(stack, org);
    const leadBefore = await storedLead(stack, org, lead.id);
    const before = await stored(stack, org);

    // The stage exists, in this organization, but not in the (default) pipeline the deal goes to.
    const reply = await convert(org.token, lead.id, {
      deal: { name: 'Doomed', amount: '100', currency: 'USD', stageId: pipeline.openStageId },
    });
    expectError(reply, 400, 'invalid_stage');
    expect(reply.data.error.details).toEqual([{ path: 'deal.stageId', message: expect.any(String) }]);

    expect(await stored(stack, org)).toEqual(before);
    expect(await storedLead(stack, org, lead.id)).toEqual(leadBefore);
    const reread = await api.call('GET', `/api/v1/leads/${lead.id}`, { token: org.token });
    expect(reread.data).toMatchObject({ status: 'new', version: 1, convertedAt: null, convertedContactId: null });
  });

  it("does the same when the stage is another organization's", async () => {
    const lead = await leadWithNewCompany();
    const { stages } = await defaultPipelineOf(stack, other);
    const leadBefore = await storedLead(stack, org, lead.id);
    const before = await stored(stack, org);
    const otherBefore = await stored(stack, other);
    expectError(
      await convert(org.token, lead.id, {
        deal: { name: 'Doomed', amount: '100', currency: 'USD', stageId: stages[0]!.id },
      }),
      400,
      'invalid_stage',
    );
    expectError(
      await convert(org.token, lead.id, {
        deal: { name: 'Doomed', amount: '100', currency: 'USD', pipelineId: stages[0]!.pipelineId },
      }),
      400,
      'unknown_pipeline',
    );
    expect(await stored(stack, org)).toEqual(before);
    expect(await stored(stack, other)).toEqual(otherBefore);
    expect(await storedLead(stack, org, lead.id)).toEqual(leadBefore);
  });

  it('can be retried with the same Idempotency-Key once corrected: the failure kept no key', async () => {
    const lead = await leadWithNewCompany();
    const pipeline = await insertPipeline(stack, org);
    const key = api.unique('atomic-key');
    const before = await stored(stack, org);
    expectError(
      await convert(
        org.token,
        lead.id,
        { deal: { name: 'First try', amount: '1', currency: 'USD', stageId: pipeline.openStageId } },
        { 'idempotency-key': key },
      ),
      400,
      'invalid_stage',
    );
    expect(await stored(stack, org)).toEqual(before);
    const fixed = await convert(
      org.token,
      lead.id,
      { deal: { name: 'First try', amount: '1', currency: 'USD', pipelineId: pipeline.pipelineId } },
      { 'idempotency-key': key },
    );
    expect(fixed.status, JSON.stringify(fixed.data)).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    const after = await stored(stack, org);
    expect(after).toMatchObject({
      contacts: before.contacts + 1,
      companies: before.companies + 1,
      deals: before.deals + 1,
      dealStageChanges: before.dealStageChanges + 1,
    });
  });

  it('rolls back a refused owner the same way', async () => {
    const lead = await leadWithNewCompany();
    const before = await stored(stack, org);
    expectError(await convert(org.token, lead.id, { ownerId: other.user.id }), 400, 'unknown_owner');
    expect(await stored(stack, org)).toEqual(before);
  });
});
