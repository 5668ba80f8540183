import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { startReceiver } from './receiver.ts';
import { verifyWebhook } from './signature.ts';

// Small retries so a failing receiver goes through them in seconds: three retries about a second apart, and two
// failed deliveries in a row disable a subscription. The receiver listens on 127.0.0.1, so private targets are on.
process.env.WEBHOOK_RETRY_DELAY_SECONDS = '1';
process.env.WEBHOOK_RETRY_DELAY_MAX_SECONDS = '1';
process.env.WEBHOOK_RETRY_LIMIT = '3';
process.env.WEBHOOK_DISABLE_AFTER = '2';
process.env.WEBHOOKS_ALLOW_PRIVATE = 'true';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let a: Session;
let b: Session;

beforeAll(async () => {
  // /flaky fails twice then recovers; /down always fails; everything else succeeds.
  receiver = await startReceiver((path, n) => (path === '/down' ? 500 : path === '/flaky' && n <= 2 ? 500 : 200));
  stack = await startTestStack({ regions: ['us'], workers: 'relay,webhooks' });
  api = apiClient(stack.edgeUrl);
  [a, b] = await Promise.all([api.signup('hooks-a', { region: 'us' }), api.signup('hooks-b', { region: 'us' })]);
  // A new consumer group starts at the beginning of the retained bus log, which on a shared PostgreSQL holds other
  // suites' events: wait until it has caught up (one warm-up delivery) so the timings below are the worker's own.
  await subscribe(a, '/warm-up', ['lead.created']);
  const lead = await createLead(a, 'warm-up');
  await waitFor(() => receiver.at('/warm-up').some((r) => r.body.includes(lead.id)), 170_000);
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

async function subscribe(session: Session, path: string, eventTypes: string[]) {
  const made = await api.call('POST', '/api/v1/webhooks', {
    token: session.token,
    body: { url: receiver.url(path), eventTypes },
  });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { subscription: { id: string }; secret: string };
}

async function createLead(session: Session, tag: string) {
  const made = await api.call('POST', '/api/v1/leads', {
    token: session.token,
    body: { firstName: 'Ada', lastName: tag, email: `${api.unique(tag)}@example.com` },
  });
  expect(made.status).toBe(201);
  return made.data as { id: string };
}

async function deliveries(session: Session, subscriptionId: string, query = '') {
  const listed = await api.call('GET', `/api/v1/webhooks/${subscriptionId}/deliveries${query}`, {
    token: session.token,
  });
  expect(listed.status, JSON.stringify(listed.data)).toBe(200);
  return listed.data as { data: Record<string, any>[]; nextCursor: string | null };
}

async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('outgoing webhooks', () => {
  it('delivers matching events signed as documented, and logs the delivery', async () => {
    const { subscription, secret } = await subscribe(a, '/ok', ['lead.created']);
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const listed = await api.call('GET', '/api/v1/webhooks', { token: a.token });
    expect(JSON.stringify(listed.data)).not.toContain(secret);
    const lead = await createLead(a, 'signed');
    const request = await waitFor(() => receiver.at('/ok').find((r) => r.body.includes(lead.id)));
    const body = JSON.parse(request.body);
    expect(body).toMatchObject({ type: 'lead.created', organizationId: a.organization.id, data: { id: lead.id } });
    expect(body.id).toEqual(expect.any(String));
    expect(body.occurredAt).toEqual(expect.any(String));
    const timestamp = String(request.headers['webhook-timestamp']);
    const signature = String(request.headers['webhook-signature']);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(secret, { timestamp, signature }, request.body)).toBe(true);
    expect(verifyWebhook('whsec_wrong', { timestamp, signature }, request.body)).toBe(false);
    const log = await waitFor(async () => {
      const page = await deliveries(a, subscription.id, '?status=delivered');
      return page.data.find((d) => d.eventId === body.id);
    });
    expect(log).toMatchObject({ eventType: 'lead.created', attempts: 1, responseStatus: 200, responseExcerpt: 'ok' });
    expect(request.headers['webhook-id']).toBe(log.id);
    expect(log.durationMs).toEqual(expect.any(Number));
    // Only lead.created was asked for: an update is not delivered.
    await api.call('PATCH', `/api/v1/leads/${lead.id}`, { token: a.token, body: { title: 'CTO' } });
    await createLead(a, 'second');
    await waitFor(async () => (await deliveries(a, subscription.id)).data.length >= 2);
    expect((await deliveries(a, subscription.id)).data.every((d) => d.eventType === 'lead.created')).toBe(true);
  }, 60_000);

  it('retries a failing receiver until it recovers, logging every attempt; replay sends it again', async () => {
    const { subscription, secret } = await subscribe(a, '/flaky', ['lead.*']);
    const lead = await createLead(a, 'flaky');
    const log = await waitFor(async () => {
      const page = await deliveries(a, subscription.id);
      return page.data.find((d) => d.eventType === 'lead.created' && d.status === 'delivered');
    });
    expect(log).toMatchObject({ attempts: 3, responseStatus: 200, error: null });
    const attempts = receiver.at('/flaky').filter((r) => r.body.includes(lead.id));
    expect(attempts).toHaveLength(3);
    for (const attempt of attempts) {
      expect(attempt.headers['webhook-id']).toBe(log.id);
      const headers = {
        timestamp: String(attempt.headers['webhook-timestamp']),
        signature: String(attempt.headers['webhook-signature']),
      };
      expect(verifyWebhook(secret, headers, attempt.body)).toBe(true);
    }
    const replayed = await api.call('POST', `/api/v1/webhooks/${subscription.id}/deliveries/${log.id}/replay`, {
      token: a.token,
    });
    expect(replayed.status, JSON.stringify(replayed.data)).toBe(202);
    await waitFor(() => receiver.at('/flaky').filter((r) => r.body.includes(lead.id)).length === 4);
    const after = await waitFor(async () => {
      const page = await deliveries(a, subscription.id);
      return page.data.find((d) => d.id === log.id && d.status === 'delivered' && d.attempts === 4);
    });
    expect(after.responseStatus).toBe(200);
  }, 60_000);

  it('disables a subscription after repeated failed deliveries and tells the admins', async () => {
    const { subscription } = await subscribe(a, '/down', ['webhook.test']);
    for (let i = 0; i < 2; i++) {
      const sent = await api.call('POST', `/api/v1/webhooks/${subscription.id}/test`, { token: a.token });
      expect(sent.status, JSON.stringify(sent.data)).toBe(202);
    }
    const disabled = await waitFor(async () => {
      const got = await api.call('GET', `/api/v1/webhooks/${subscription.id}`, { token: a.token });
      return got.data.status === 'disabled' ? got.data : undefined;
    }, 45_000);
    expect(disabled.disabledReason).toMatch(/2 failed deliveries/);
    const failed = await deliveries(a, subscription.id, '?status=failed');
    expect(failed.data).toHaveLength(2);
    expect(failed.data[0]).toMatchObject({ attempts: 4, responseStatus: 500, error: 'HTTP 500' });
    expect(failed.data[0]!.responseExcerpt).toMatch(/^failure/);
    const notified = await api.call('GET', '/api/v1/notifications', { token: a.token });
    expect(JSON.stringify(notified.data)).toContain('webhook');
    const audit = await api.call('GET', `/api/v1/audit-log?targetId=${subscription.id}`, { token: a.token });
    expect(JSON.stringify(audit.data)).toContain('webhook.disabled');
    // Enabling it again resets the failures.
    const enabled = await api.call('PATCH', `/api/v1/webhooks/${subscription.id}`, {
      token: a.token,
      body: { status: 'active' },
    });
    expect(enabled.data).toMatchObject({ status: 'active', consecutiveFailures: 0, disabledReason: null });
  }, 90_000);

  it("keeps organizations apart: B's subscription never sees A's events, and A's ids are 404 to B", async () => {
    const ofB = await subscribe(b, '/b', ['*']);
    const ofA = await subscribe(a, '/a-only', ['lead.created']);
    const lead = await createLead(a, 'isolated');
    await waitFor(() => receiver.at('/a-only').some((r) => r.body.includes(lead.id)));
    await createLead(b, 'own');
    await waitFor(() => receiver.at('/b').length > 0);
    expect(receiver.at('/b').some((r) => r.body.includes(a.organization.id))).toBe(false);
    expect((await deliveries(b, ofB.subscription.id)).data.every((d) => !JSON.stringify(d).includes(lead.id))).toBe(
      true,
    );
    for (const [method, path] of [
      ['GET', `/api/v1/webhooks/${ofA.subscription.id}`],
      ['GET', `/api/v1/webhooks/${ofA.subscription.id}/deliveries`],
      ['POST', `/api/v1/webhooks/${ofA.subscription.id}/test`],
      ['POST', `/api/v1/webhooks/${ofA.subscription.id}/rotate-secret`],
      ['DELETE', `/api/v1/webhooks/${ofA.subscription.id}`],
    ] as const) {
      expectError(await api.call(method, path, { token: b.token }), 404, 'not_found', `${method} ${path}`);
    }
  }, 60_000);

  it('refuses private addresses unless allowed, and non-admins', async () => {
    process.env.WEBHOOKS_ALLOW_PRIVATE = 'false';
    try {
      for (const url of [
        'https://127.0.0.1/hook',
        'https://169.254.169.254/latest',
        'https://localhost/x',
        receiver.url('/x'),
      ]) {
        const refused = await api.call('POST', '/api/v1/webhooks', {
          token: a.token,
          body: { url, eventTypes: ['*'] },
        });
        expectError(refused, 400, 'invalid_webhook_url', url);
      }
    } finally {
      process.env.WEBHOOKS_ALLOW_PRIVATE = 'true';
    }
    const manager = await api.member(a.token, 'manager');
    expectError(await api.call('GET', '/api/v1/webhooks', { token: manager.token }), 403, 'forbidden');
    const badType = await api.call('POST', '/api/v1/webhooks', {
      token: a.token,
      body: { url: receiver.url('/x'), eventTypes: ['Lead Created!'] },
    });
    expectError(badType, 400);
  }, 30_000);

  it('rotates the secret: the old one is shown never again and new deliveries use the new one', async () => {
    const { subscription, secret } = await subscribe(a, '/rotated', ['webhook.test']);
    const rotated = await api.call('POST', `/api/v1/webhooks/${subscription.id}/rotate-secret`, { token: a.token });
    expect(rotated.status).toBe(200);
    expect(rotated.data.secret).not.toBe(secret);
    await api.call('POST', `/api/v1/webhooks/${subscription.id}/test`, { token: a.token });
    const request = await waitFor(() => receiver.at('/rotated')[0]);
    const headers = {
      timestamp: String(request.headers['webhook-timestamp']),
      signature: String(request.headers['webhook-signature']),
    };
    expect(verifyWebhook(rotated.data.secret, headers, request.body)).toBe(true);
    expect(verifyWebhook(secret, headers, request.body)).toBe(false);
  }, 30_000);
});
