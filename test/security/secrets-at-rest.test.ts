import { and, eq } from 'drizzle-orm';
import type { Job } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userMfa, webhookSubscriptions, workflows } from '../../db/schema/index.ts';
import { resealSecrets } from '../../regions/support/reseal.ts';
import { createSecretBox, isSealed, newSecretKey, parseSecretKeys } from '../../regions/support/secret-box.ts';
import { webhookConfig } from '../../workers/webhooks/config.ts';
import { deliverWebhook } from '../../workers/webhooks/deliver.ts';
import type { DeliverJob } from '../../workers/webhooks/fanout.ts';
import { startReceiver } from '../../workers/webhooks/receiver.ts';
import { verifyWebhook } from '../../workers/webhooks/signature.ts';
import { apiClient } from '../support/api.ts';
import { startTestStack, TEST_SECRETS_KEYS, type TestStack } from '../support/stack.ts';

// The receiver listens on 127.0.0.1.
process.env.WEBHOOKS_ALLOW_PRIVATE = 'true';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let admin: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

const ctx = () => stack.regions.us!.ctx;
const organizationId = () => admin.organization.id;

async function subscribe(path: string) {
  const made = await api.call('POST', '/api/v1/webhooks', {
    token: admin.token,
    body: { url: receiver.url(path), eventTypes: ['lead.created'] },
  });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return { id: made.data.subscription.id as string, secret: made.data.secret as string };
}

const storedSecret = async (id: string) =>
  (
    await ctx().shards.withTenant(organizationId(), (tx) =>
      tx
        .select({ secret: webhookSubscriptions.secret })
        .from(webhookSubscriptions)
        .where(and(eq(webhookSubscriptions.organizationId, organizationId()), eq(webhookSubscriptions.id, id))),
    )
  )[0]!.secret;

const storeSecret = (id: string, secret: string) =>
  ctx().shards.withTenant(organizationId(), (tx) =>
    tx
      .update(webhookSubscriptions)
      .set({ secret })
      .where(and(eq(webhookSubscriptions.organizationId, organizationId()), eq(webhookSubscriptions.id, id))),
  );

/** Queues a test delivery through the API and runs its job as the webhooks worker would, with `secrets`. */
async function deliverTest(subscriptionId: string, secrets = ctx().secrets) {
  const queued = await api.call('POST', `/api/v1/webhooks/${subscriptionId}/test`, { token: admin.token });
  expect(queued.status, JSON.stringify(queued.data)).toBeLessThan(300);
  const job = { data: { organizationId: organizationId(), deliveryId: queued.data.id, retryLimit: 0 }, retryCount: 0 };
  await deliverWebhook(
    { shards: ctx().shards, jobs: ctx().jobs, config: webhookConfig(), secrets },
    job as Job<DeliverJob>,
  );
  const request = receiver.received.find((r) => r.headers['webhook-id'] === queued.data.id);
  expect(request, 'the receiver got the delivery').toBeDefined();
  return {
    verifiesWith: (secret: string) =>
      verifyWebhook(
        secret,
        {
          timestamp: String(request!.headers['webhook-timestamp']),
          signature: String(request!.headers['webhook-signature']),
        },
        request!.body,
      ),
  };
}

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('sealed', { region: 'us' });
}, 300_000);
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

describe('secrets at rest (webhook, workflow step and TOTP secrets)', () => {
  it('are stored sealed, bound to their subscription, and opened only to sign', async () => {
    const { id, secret } = await subscribe('/sealed');
    const stored = await storedSecret(id);
    expect(isSealed(stored)).toBe(true);
    expect(stored).not.toContain(secret.slice(6));
    expect(await ctx().secrets.open(stored, `webhook:${id}`)).toBe(secret);
    expect((await deliverTest(id)).verifiesWith(secret)).toBe(true);

    // A sealed secret copied onto another subscription does not open there: the delivery fails, nothing is sent.
    const other = await subscribe('/moved');
    const own = await storedSecret(other.id);
    await storeSecret(other.id, stored);
    await expect(deliverTest(other.id)).rejects.toThrow();
    expect(receiver.at('/moved')).toHaveLength(0);
    await storeSecret(other.id, own);
  });

  it('rotated through the API are sealed again, and the old secret no longer signs', async () => {
    const { id, secret } = await subscribe('/rotated');
    const rotated = await api.call('POST', `/api/v1/webhooks/${id}/rotate-secret`, { token: admin.token });
    expect(rotated.status, JSON.stringify(rotated.data)).toBe(200);
    expect(isSealed(await storedSecret(id))).toBe(true);
    const delivered = await deliverTest(id);
    expect(delivered.verifiesWith(rotated.data.secret)).toBe(true);
    expect(delivered.verifiesWith(secret)).toBe(false);
  });

  it('still sign from a plaintext row of an older database, and reseal seals every plain or stale one with the new key', async () => {
    const legacy = await subscribe('/legacy');
    const plain = `whsec_${'ab'.repeat(32)}`;
    await storeSecret(legacy.id, plain);
    expect((await deliverTest(legacy.id)).verifiesWith(plain)).toBe(true);
    const current = await subscribe('/current');
    // A workflow's webhook step: its secret sealed for that workflow (context workflow:<id>).
    const stepSecret = `whsec_${'cd'.repeat(16)}`;
    const workflow = await api.call('POST', '/api/v1/workflows', {
      token: admin.token,
      body: {
        name: 'Sealed step',
        trigger: { type: 'event', event: 'lead.created' },
        actions: [{ type: 'call_webhook', url: receiver.url('/step'), secret: stepSecret }],
      },
    });
    expect(workflow.status, JSON.stringify(workflow.data)).toBe(201);
    expect(workflow.data.actions[0].secret).toBe('********');
    const storedStep = async () =>
      (
        await ctx().shards.withTenant(organizationId(), (tx) =>
          tx
            .select({ actions: workflows.actions })
            .from(workflows)
            .where(and(eq(workflows.organizationId, organizationId()), eq(workflows.id, workflow.data.id))),
        )
      )[0]!.actions[0] as { secret: string };
    const sealedStep = (await storedStep()).secret;
    expect(isSealed(sealedStep)).toBe(true);
    expect(sealedStep).not.toContain(stepSecret.slice(6));
    expect(await ctx().secrets.open(sealedStep, `workflow:${workflow.data.id}`)).toBe(stepSecret);
    // A TOTP secret (an enrolment started: sealed with the tests' key, context totp:<userId>).
    const enrolment = await api.call('POST', '/api/v1/me/mfa/enrolment', { token: admin.token });
    expect(enrolment.status, JSON.stringify(enrolment.data)).toBe(200);

    // The secrets key rotation: a new key first, the tests' key still configured to open what it sealed.
    const rotatedBox = await createSecretBox(parseSecretKeys(`${newSecretKey('next')},${TEST_SECRETS_KEYS}`));
    const result = await resealSecrets({
      region: 'us',
      shards: ctx().shards,
      secrets: rotatedBox,
      organizationIds: [organizationId()],
    });
    // Both subscriptions of the first test, the rotated one, the legacy one and the current one.
    expect(result).toMatchObject({
      organizations: 1,
      webhookSecrets: 5,
      totpSecrets: 1,
      workflowSecrets: 1,
      failures: 0,
    });
    const resealedStep = (await storedStep()).secret;
    expect(rotatedBox.isStale(resealedStep)).toBe(false);
    expect(await rotatedBox.open(resealedStep, `workflow:${workflow.data.id}`)).toBe(stepSecret);
    const [authenticator] = await ctx().shards.withTenant(organizationId(), (tx) =>
      tx.select().from(userMfa).where(eq(userMfa.organizationId, organizationId())),
    );
    expect(await rotatedBox.open(authenticator!.secretSealed, `totp:${admin.user.id}`)).toBe(enrolment.data.secret);
    for (const id of [legacy.id, current.id]) {
      const stored = await storedSecret(id);
      expect(isSealed(stored) && !rotatedBox.isStale(stored)).toBe(true);
    }
    expect(await rotatedBox.open(await storedSecret(legacy.id), `webhook:${legacy.id}`)).toBe(plain);
    expect(await rotatedBox.open(await storedSecret(current.id), `webhook:${current.id}`)).toBe(current.secret);
    // Sealed with the new key only: a box without it cannot open them, so the old key can go once every shard is done.
    await expect(ctx().secrets.open(await storedSecret(current.id), `webhook:${current.id}`)).rejects.toThrow(
      /not configured/,
    );
    expect((await deliverTest(current.id, rotatedBox)).verifiesWith(current.secret)).toBe(true);
    // Nothing left to do on a second run.
    const again = await resealSecrets({
      region: 'us',
      shards: ctx().shards,
      secrets: rotatedBox,
      organizationIds: [organizationId()],
    });
    expect(again).toMatchObject({ webhookSecrets: 0, totpSecrets: 0, workflowSecrets: 0, failures: 0 });
  });
});
