import { expect } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack } from '../../test/support/stack.ts';
import { startTestSmtpServer, type TestSmtpServer } from './smtp-test-server.ts';

/** The public address the links in test emails start with: the edge's, as PUBLIC_BASE_URL tells the worker. */
export const PUBLIC_BASE_URL = 'https://crm.test';

/**
 * A region with the email worker sending to a real SMTP server on loopback. The environment is the worker's
 * configuration, so it is set before the region starts: a throttle of 2 emails a second after a burst of 3, and
 * two quick retries (1 s, then about 2 s) for a temporary failure.
 */
export async function startEmailStack() {
  const smtp = await startTestSmtpServer();
  Object.assign(process.env, {
    SMTP_URL: smtp.url,
    SMTP_FROM: 'Acme CRM <crm@acme.test>',
    PUBLIC_BASE_URL,
    EMAIL_RATE_PER_MINUTE: '120',
    EMAIL_BURST: '3',
    EMAIL_RETRY_LIMIT: '2',
    EMAIL_RETRY_DELAY_SECONDS: '1',
  });
  const stack = await startTestStack({ regions: ['us'], workers: 'email' });
  const api = apiClient(stack.edgeUrl);
  return {
    stack,
    api,
    smtp,
    ctx: () => stack.regions.us!.ctx,
    async stop() {
      await stack.stop();
      await smtp.close();
    },
  };
}

export type EmailStack = Awaited<ReturnType<typeof startEmailStack>>;

export async function waitFor(check: () => boolean | Promise<boolean>, ms = 20_000, what = 'a condition') {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Api = ReturnType<typeof apiClient>;

/** A contact with an address, and marketing consent unless told otherwise. */
export async function contact(
  api: Api,
  token: string,
  fields: { firstName?: string; email?: string | null; consent?: boolean } = {},
): Promise<{ id: string; email: string | null; firstName: string }> {
  const email = fields.email === undefined ? `${api.unique('person')}@mail.test` : fields.email;
  const consent = fields.consent ?? true;
  const made = await api.call('POST', '/api/v1/contacts', {
    token,
    body: {
      firstName: fields.firstName ?? 'Ada',
      lastName: 'Lovelace',
      ...(email ? { email } : {}),
      ...(consent ? { marketingEmailConsent: true, consentSource: 'web_form' } : {}),
    },
  });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data;
}

/** Waits until the email is in one of the states, and returns it. */
export async function emailIn(api: Api, token: string, id: string, states: string[], ms = 20_000) {
  let last: { status: string } & Record<string, unknown> = { status: '?' };
  await waitFor(
    async () => {
      const reply = await api.call('GET', `/api/v1/emails/${id}`, { token });
      expect(reply.status).toBe(200);
      last = reply.data;
      return states.includes(last.status);
    },
    ms,
    `email ${id} to be ${states.join(' or ')} (last: ${JSON.stringify(last)})`,
  );
  return last;
}

export type { TestSmtpServer };
