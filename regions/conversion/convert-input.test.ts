import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { newLead, type Session, stored } from './fixtures.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let org: Session;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  org = await api.signup('convert-input');
});
afterAll(() => stack?.stop());

const convert = (token: string, id: string, body?: unknown, headers: Record<string, string> = {}) =>
  api.call('POST', `/api/v1/leads/${id}/convert`, { token, body, headers });

describe('POST /api/v1/leads/{id}/convert: retries and bad input', () => {
  it('replays an idempotent retry instead of answering 409, and refuses the key for another request', async () => {
    const lead = await newLead(api, org.token, { company: 'Retry Co' });
    const key = api.unique('convert-key');
    const body = { deal: { name: 'Retry', amount: '1.5', currency: 'USD' } };
    const first = await convert(org.token, lead.id, body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const before = await stored(stack, org);
    const again = await convert(org.token, lead.id, body, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data).toEqual(first.data);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(await stored(stack, org)).toEqual(before);
    expectError(await convert(org.token, lead.id, {}, { 'idempotency-key': key }), 422, 'idempotency_key_reused');
    const other = await newLead(api, org.token);
    expectError(await convert(org.token, other.id, body, { 'idempotency-key': key }), 422, 'idempotency_key_reused');
  });

  it('refuses bad input with 400 and the field named, before touching anything', async () => {
    const lead = await newLead(api, org.token);
    const before = await stored(stack, org);
    const deal = { name: 'D', amount: '1', currency: 'USD' };
    const cases: [unknown, string][] = [
      [{ surprise: true }, 'surprise'],
      [{ company: { name: 'X', extra: 1 } }, 'company.extra'],
      [{ company: { domain: 'not a domain' } }, 'company.domain'],
      [{ company: { name: '' } }, 'company.name'],
      [{ company: { name: 'bad\u0000name' } }, 'company.name'],
      [{ deal: { ...deal, extra: 1 } }, 'deal.extra'],
      [{ deal: { amount: '1', currency: 'USD' } }, 'deal.name'],
      [{ deal: { ...deal, amount: 12 } }, 'deal.amount'],
      [{ deal: { ...deal, amount: '-1' } }, 'deal.amount'],
      [{ deal: { ...deal, amount: '1.234' } }, 'deal.amount'],
      [{ deal: { ...deal, amount: '12345678901234567' } }, 'deal.amount'],
      [{ deal: { ...deal, currency: 'usd' } }, 'deal.currency'],
      [{ deal: { ...deal, currency: 'EURO' } }, 'deal.currency'],
      [{ deal: { ...deal, expectedCloseDate: '2027-02-30' } }, 'deal.expectedCloseDate'],
      [{ deal: { ...deal, expectedCloseDate: '0000-01-01' } }, 'deal.expectedCloseDate'],
      [{ deal: { ...deal, stageId: 'stage-1' } }, 'deal.stageId'],
      [{ deal: { ...deal, pipelineId: 42 } }, 'deal.pipelineId'],
      [{ ownerId: 'me' }, 'ownerId'],
      [[], '(root)'],
    ];
    for (const [body, path] of cases) {
      const reply = await convert(org.token, lead.id, body);
      expectError(reply, 400, 'validation_failed', JSON.stringify(body));
      expect(
        reply.data.error.details.map((d: { path: string }) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    expectError(
      await api.call('POST', '/api/v1/leads/not-a-uuid/convert', { token: org.token }),
      400,
      'validation_failed',
    );
    expectError(
      await api.call('POST', `/api/v1/leads/${lead.id}/convert`, { token: org.token, raw: '{"deal":' }),
      400,
      'invalid_json',
    );
    expectError(
      await api.call('POST', `/api/v1/leads/${lead.id}/convert`, {
        token: org.token,
        raw: 'deal=1',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
    );
    expect(await stored(stack, org)).toEqual(before);
    expectError(await convert(org.token, '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e'), 404, 'not_found');
  });
});
