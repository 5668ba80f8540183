import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

/**
 * Regression (found by test/security/openapi-fuzz.test.ts): rotating a webhook's secret while another request
 * deleted it answered 500, since the rotation's UPDATE found no row after its read had. Writes now lock the row.
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

describe('a webhook deleted while it is being changed', () => {
  it('answers each concurrent write with success or 404, never a 5xx', async () => {
    const admin = await api.signup('webhook-race');
    const statuses = new Set<number>();
    for (let round = 0; round < 8; round++) {
      const made = await api.call('POST', '/api/v1/webhooks', {
        token: admin.token,
        body: { url: 'https://hooks.example.com/race', eventTypes: ['lead.*'] },
      });
      expect(made.status, JSON.stringify(made.data)).toBe(201);
      const path = `/api/v1/webhooks/${made.data.subscription.id}`;
      const replies = await Promise.all([
        api.call('POST', `${path}/rotate-secret`, { token: admin.token }),
        api.call('DELETE', path, { token: admin.token }),
        api.call('POST', `${path}/rotate-secret`, { token: admin.token }),
        api.call('PATCH', path, { token: admin.token, body: { description: 'racing' } }),
        api.call('POST', `${path}/test`, { token: admin.token }),
        api.call('DELETE', path, { token: admin.token }),
      ]);
      for (const reply of replies) {
        statuses.add(reply.status);
        expect(reply.status, JSON.stringify(reply.data)).toBeLessThan(500);
      }
      expect(replies.filter((r) => r.status === 204)).toHaveLength(1);
    }
    expect(statuses.has(404)).toBe(true);
  });
});
