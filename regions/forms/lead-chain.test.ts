import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

const SITE = 'https://shop.customer.example';

beforeAll(async () => {
  // The whole chain as in a region process: the relay publishes the outbox, dispatch assigns the new lead by the
  // organization's rule, notify tells the new owner. The edge's read cache is off: the workers write behind it.
  stack = await startTestStack({ regions: ['us'], workers: 'relay,dispatch,notify', edge: { cacheTtlSeconds: 0 } });
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

type Notification = { type: string; link: { type: string; id: string } | null };

describe('a form submission, end to end', () => {
  it("reaches the assigned owner's notifications: submit → lead → dispatch → notify", async () => {
    const admin = await api.signup('form-chain', { region: 'us' });
    const rep = await api.member(admin.token, 'sales_rep', 'form-rep');
    const rule = await api.call('POST', '/api/v1/assignment-rules', {
      token: admin.token,
      body: {
        name: 'Web leads',
        strategy: 'round_robin',
        conditions: { sources: ['web_form'] },
        members: [{ userId: rep.user.id }],
      },
    });
    expect(rule.status, JSON.stringify(rule.data)).toBe(201);
    const form = await api.call('POST', '/api/v1/forms', {
      token: admin.token,
      body: {
        name: 'Demo request',
        fields: [
          { name: 'name', label: 'Name', type: 'text', required: true, leadField: 'firstName' },
          { name: 'email', label: 'Email', type: 'email', required: true, leadField: 'email' },
        ],
        allowedOrigins: [SITE],
      },
    });
    expect(form.status, JSON.stringify(form.data)).toBe(201);

    const started = Date.now();
    const email = `${api.unique('chain')}@example.com`;
    const submitted = await api.call('POST', `/forms/${form.data.publicId}/submissions`, {
      body: { name: 'Katherine', email, website: '' },
      headers: { origin: SITE },
    });
    expect(submitted.status, JSON.stringify(submitted.data)).toBe(201);
    const found = await api.call('GET', '/api/v1/leads?limit=50', { token: admin.token });
    const lead = (found.data.data as { id: string; email: string; source: string }[]).find((l) => l.email === email);
    expect(lead?.source).toBe('web_form');

    // On a shared real database the new consumer groups first work through other suites' events in the log.
    const bound = 150_000;
    let notification: Notification | undefined;
    while (!notification) {
      const reply = await api.call('GET', '/api/v1/notifications', { token: rep.token });
      expect(reply.status, JSON.stringify(reply.data)).toBe(200);
      notification = (reply.data.data as Notification[]).find(
        (n) => n.type === 'lead_assigned' && n.link?.id === lead!.id,
      );
      if (!notification && Date.now() - started > bound) throw new Error(`no notification within ${bound} ms`);
      if (!notification) await new Promise((r) => setTimeout(r, 200));
    }
    expect(notification.link).toEqual({ type: 'lead', id: lead!.id });
    const owner = await api.call('GET', `/api/v1/leads/${lead!.id}`, { token: admin.token });
    expect(owner.data.ownerId).toBe(rep.user.id);
  }, 200_000);
});
