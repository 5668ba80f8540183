import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, emailMessages, emailThrottle } from '../../db/schema/index.ts';
import { notify } from '../../regions/notifications/notify.ts';
import type { apiClient } from '../../test/support/api.ts';
import { contact, type EmailStack, emailIn, PUBLIC_BASE_URL, startEmailStack, waitFor } from './testing.ts';

let env: EmailStack;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let a: Session;
let b: Session;

// One file for every email test: each process's worker sends to its own SMTP server, and two processes sharing
// a real database would take each other's jobs.
beforeAll(async () => {
  env = await startEmailStack();
  // The test server plays the receiving side: an unknown mailbox, a greylisting server, a server that is down.
  env.smtp.rule = (address, attempt) => {
    if (address.startsWith('nobody-')) return { code: 550, message: '5.1.1 No such user' };
    if (address.startsWith('greylisted-') && attempt <= 2) return { code: 451, message: '4.7.1 Try again later' };
    if (address.startsWith('down-')) return { code: 421, message: '4.3.2 Service not available' };
    return null;
  };
  [a, b] = await Promise.all([env.api.signup('mail-a', { region: 'us' }), env.api.signup('mail-b', { region: 'us' })]);
});
afterAll(async () => {
  await env?.stop();
});

const api = () => env.api;
const emailsOf = (organizationId: string) =>
  env.ctx().shards.withTenant(organizationId, (tx) => tx.select().from(emailMessages));

describe('notification emails', () => {
  it('arrive by the template of their type, escaped, and stop when the member turns email off', async () => {
    const organizationId = a.organization.id;
    const send = (title: string) =>
      env.ctx().shards.withTenant(organizationId, (tx) =>
        notify(
          tx,
          { jobs: env.ctx().jobs },
          {
            organizationId,
            userId: a.user.id,
            type: 'task_due',
            title,
            body: 'Quarterly review',
            details: { dueAt: '2026-12-01T09:00:00.000Z' },
          },
        ),
      );
    const sent = await send('Call <Ada> & co');
    expect(sent.channels).toEqual(['in_app', 'email']);
    await waitFor(() => env.smtp.receivedBy(a.user.email).length === 1, 20_000, 'the reminder');
    const [mail] = env.smtp.receivedBy(a.user.email);
    expect(mail).toMatchObject({ subject: 'Call <Ada> & co', from: '"Acme CRM" <crm@acme.test>' });
    expect(mail!.text).toContain('Quarterly review');
    expect(mail!.text).toContain('Due: Tue, 01 Dec 2026 09:00:00 GMT');
    expect(mail!.html).toContain('Call &lt;Ada&gt; &amp; co');
    const [row] = (await emailsOf(organizationId)).filter((e) => e.userId === a.user.id);
    expect(row).toMatchObject({ kind: 'notification', template: 'task_reminder', attempts: 1 });
    await emailIn(api(), a.token, row!.id, ['sent']);
    expect(mail!.messageId).toBe(`<${row!.id}@acme.test>`);

    const off = await api().call('PUT', '/api/v1/notifications/preferences', {
      token: a.token,
      body: { preferences: { task_due: { email: false } } },
    });
    expect(off.status).toBe(200);
    expect((await send('No email for this')).channels).toEqual(['in_app']);
    expect((await emailsOf(organizationId)).filter((e) => e.userId === a.user.id)).toHaveLength(1);
  });
});

describe('one email to a contact', () => {
  it('is sent with merge fields and logged as an outbound email activity', async () => {
    const person = await contact(api(), a.token, { firstName: 'Grace', consent: false });
    const queued = await api().call('POST', '/api/v1/emails', {
      token: a.token,
      headers: { 'idempotency-key': 'quote-1' },
      body: { contactId: person.id, subject: 'Your quote, {{firstName}}', text: 'Dear {{firstName}},\n\nhere it is.' },
    });
    expect(queued.status, JSON.stringify(queued.data)).toBe(202);
    expect(queued.data).toMatchObject({ kind: 'transactional', to: person.email, subject: 'Your quote, Grace' });
    const replay = await api().call('POST', '/api/v1/emails', {
      token: a.token,
      headers: { 'idempotency-key': 'quote-1' },
      body: { contactId: person.id, subject: 'Your quote, {{firstName}}', text: 'Dear {{firstName}},\n\nhere it is.' },
    });
    expect(replay.data.id).toBe(queued.data.id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await emailIn(api(), a.token, queued.data.id, ['sent']);
    const [mail] = env.smtp.receivedBy(person.email!);
    expect(mail!.text).toContain('Dear Grace,');
    const activity = await api().call('GET', `/api/v1/activities/${queued.data.activityId}`, { token: a.token });
    expect(activity.data).toMatchObject({
      type: 'email',
      contactId: person.id,
      subject: 'Your quote, Grace',
      emailDirection: 'outbound',
      emailFrom: 'crm@acme.test',
      emailTo: [person.email],
      ownerId: a.user.id,
    });
    const noAddress = await contact(api(), a.token, { email: null, consent: false });
    const refused = await api().call('POST', '/api/v1/emails', {
      token: a.token,
      body: { contactId: noAddress.id, subject: 'x', text: 'y' },
    });
    expect(refused.status).toBe(422);
    expect(refused.data.error.code).toBe('contact_has_no_email');
  });
});

describe('bulk email', () => {
  it('reaches only consenting, non-suppressed addresses, once each, with an unsubscribe link', async () => {
    const [yes1, yes2, noConsent, blocked, noEmail] = [
      await contact(api(), a.token, { firstName: 'One' }),
      await contact(api(), a.token, { firstName: 'Two' }),
      await contact(api(), a.token, { consent: false }),
      await contact(api(), a.token),
      await contact(api(), a.token, { email: null }),
    ];
    const twin = await contact(api(), a.token, { email: yes1.email });
    const complained = await api().call('POST', '/api/v1/email-suppressions', {
      token: a.token,
      body: { address: blocked.email, reason: 'complained' },
    });
    expect(complained.status).toBe(200);
    const ids = [yes1, yes2, noConsent, blocked, noEmail, twin].map((c) => c.id);
    const bulk = await api().call('POST', '/api/v1/emails/bulk', {
      token: a.token,
      body: {
        subject: 'News for {{firstName}}',
        text: 'Hello {{firstName}}',
        select: { ids: [...ids, '0193a5f5-0000-7000-8000-000000000000'] },
      },
    });
    expect(bulk.status, JSON.stringify(bulk.data)).toBe(202);
    expect(bulk.data).toMatchObject({
      queued: 2,
      skipped: { noEmail: 1, noConsent: 1, suppressed: 1, duplicate: 1, notFound: 1 },
    });
    const campaign = await api().call('GET', `/api/v1/emails?campaignId=${bulk.data.campaignId}`, { token: a.token });
    expect(campaign.data.data).toHaveLength(2);
    for (const email of campaign.data.data) await emailIn(api(), a.token, email.id, ['sent']);
    expect(env.smtp.receivedBy(yes1.email!)).toHaveLength(1);
    expect(env.smtp.receivedBy(yes2.email!).map((m) => m.subject)).toEqual(['News for Two']);
    expect(env.smtp.receivedBy(noConsent.email!)).toEqual([]);
    expect(env.smtp.receivedBy(blocked.email!)).toEqual([]);
    const [mail] = env.smtp.receivedBy(yes2.email!);
    expect(mail!.headers['list-unsubscribe']).toMatch(/^<https:\/\/crm\.test\/api\/v1\/unsubscribe\?token=uns_us_/);
    expect(mail!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

    const byFilter = await api().call('POST', '/api/v1/emails/bulk', {
      token: a.token,
      body: { subject: 'Only two', text: 'x', select: { filter: { email: yes2.email } } },
    });
    expect(byFilter.data.queued).toBe(1);
  });

  it('is for admins and managers only', async () => {
    const rep = await api().member(a.token, 'sales_rep', 'mail-rep');
    const body = { subject: 's', text: 't', select: { ids: ['0193a5f5-0000-7000-8000-000000000000'] } };
    expect((await api().call('POST', '/api/v1/emails/bulk', { token: rep.token, body })).status).toBe(403);
    expect((await api().call('GET', '/api/v1/email-suppressions', { token: rep.token })).status).toBe(403);
  });
});

describe('the unsubscribe link', () => {
  it('works without credentials through the edge, withdraws consent, and later campaigns skip the address', async () => {
    const person = await contact(api(), a.token, { firstName: 'Leaving' });
    const stays = await contact(api(), a.token, { firstName: 'Staying' });
    const first = await api().call('POST', '/api/v1/emails/bulk', {
      token: a.token,
      body: { subject: 'Hello', text: 'Hi {{firstName}}', select: { ids: [person.id, stays.id] } },
    });
    expect(first.data.queued).toBe(2);
    await waitFor(() => env.smtp.receivedBy(person.email!).length === 1, 20_000, 'the campaign email');
    const link = /Unsubscribe: (\S+)/.exec(env.smtp.receivedBy(person.email!)[0]!.text)![1]!;
    expect(link.startsWith(`${PUBLIC_BASE_URL}/api/v1/unsubscribe?token=uns_us_`)).toBe(true);
    // The link's origin is PUBLIC_BASE_URL, the edge's public address; here the edge listens on a test port.
    const url = new URL(link);
    const onEdge = `${env.stack.edgeUrl}${url.pathname}${url.search}`;

    const visited = await fetch(onEdge);
    expect(visited.status).toBe(200);
    expect(await visited.json()).toEqual({
      address: expect.stringMatching(/^p\*\*\*@mail\.test$/),
      unsubscribed: true,
      alreadyUnsubscribed: false,
    });
    const oneClick = await fetch(onEdge, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect((await oneClick.json()).alreadyUnsubscribed).toBe(true);
    const token = url.searchParams.get('token')!;
    const at = token.length - 10;
    const broken = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    const tampered = await fetch(`${env.stack.edgeUrl}/api/v1/unsubscribe?token=${encodeURIComponent(broken)}`);
    expect(tampered.status).toBe(400);
    expect((await tampered.json()).error.code).toBe('invalid_unsubscribe_token');

    const after = await api().call('GET', `/api/v1/contacts/${person.id}`, { token: a.token });
    expect(after.data).toMatchObject({ marketingEmailConsent: false, consentSource: null });
    const audit = await env.ctx().shards.withTenant(a.organization.id, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.targetId, person.id), eq(auditLog.action, 'contact.consent_withdrawn'))),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorType: 'system',
      changes: expect.objectContaining({ consentSource: 'unsubscribe_link' }),
    });
    const list = await api().call('GET', '/api/v1/email-suppressions?reason=unsubscribed', { token: a.token });
    expect(list.data.data.map((s: { address: string }) => s.address)).toContain(person.email);

    // Consent given again does not undo the unsubscribe: the suppression list still stops campaigns.
    await api().call('PATCH', `/api/v1/contacts/${person.id}`, {
      token: a.token,
      body: { marketingEmailConsent: true, consentSource: 'web_form' },
    });
    const second = await api().call('POST', '/api/v1/emails/bulk', {
      token: a.token,
      body: { subject: 'Again', text: 'x', select: { ids: [person.id, stays.id] } },
    });
    expect(second.data).toMatchObject({ queued: 1, skipped: { suppressed: 1 } });
    // An unsubscribe is from marketing: a one-off email still reaches the person.
    const direct = await api().call('POST', '/api/v1/emails', {
      token: a.token,
      body: { contactId: person.id, subject: 'Your invoice', text: 'Attached.' },
    });
    expect(direct.status).toBe(202);
  });
});

describe('tenant isolation', () => {
  it("never shows another organization's emails or suppressions, nor applies its suppressions", async () => {
    const mine = await contact(api(), a.token);
    await api().call('POST', '/api/v1/email-suppressions', {
      token: a.token,
      body: { address: mine.email, reason: 'bounced', detail: 'by hand' },
    });
    const aEmails = await emailsOf(a.organization.id);
    expect(aEmails.length).toBeGreaterThan(0);
    const theirs = await api().call('GET', `/api/v1/emails/${aEmails[0]!.id}`, { token: b.token });
    expect(theirs.status).toBe(404);
    expect((await api().call('GET', '/api/v1/emails', { token: b.token })).data.data).toEqual([]);
    expect((await api().call('GET', '/api/v1/email-suppressions', { token: b.token })).data.data).toEqual([]);
    const removeTheirs = await api().call('DELETE', `/api/v1/email-suppressions/${encodeURIComponent(mine.email!)}`, {
      token: b.token,
    });
    expect(removeTheirs.status).toBe(404);
    // The same address in B is no one's suppression there.
    const same = await contact(api(), b.token, { email: mine.email });
    const bulk = await api().call('POST', '/api/v1/emails/bulk', {
      token: b.token,
      body: { subject: 'B news', text: 'x', select: { ids: [same.id] } },
    });
    expect(bulk.data).toMatchObject({ queued: 1, skipped: { suppressed: 0 } });
    const removed = await api().call('DELETE', `/api/v1/email-suppressions/${encodeURIComponent(mine.email!)}`, {
      token: a.token,
    });
    expect(removed.status).toBe(204);
  });
});

async function emailTo(localPart: string) {
  const person = await contact(api(), a.token, { email: `${api().unique(localPart)}@mail.test`, consent: false });
  const queued = await api().call('POST', '/api/v1/emails', {
    token: a.token,
    body: { contactId: person.id, subject: 'Hello', text: 'Hi {{firstName}}' },
  });
  expect(queued.status, JSON.stringify(queued.data)).toBe(202);
  return { person, email: queued.data as { id: string } };
}

describe('delivery failures', () => {
  it('suppresses an address the server refuses for good (550), without retrying', async () => {
    const { person, email } = await emailTo('nobody');
    const bounced = await emailIn(api(), a.token, email.id, ['bounced', 'sent', 'failed']);
    expect(bounced).toMatchObject({ status: 'bounced', attempts: 1 });
    expect(bounced.lastError).toContain('550');
    // Longer than the retry delay: a retried job would have knocked again by now.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(env.smtp.attempts.get(person.email!)).toBe(1);
    const list = await api().call('GET', '/api/v1/email-suppressions?reason=bounced', { token: a.token });
    expect(list.data.data).toEqual([
      expect.objectContaining({ address: person.email, reason: 'bounced', detail: expect.stringContaining('550') }),
    ]);
    const again = await api().call('POST', '/api/v1/emails', {
      token: a.token,
      body: { contactId: person.id, subject: 'Hello again', text: 'x' },
    });
    expect(again.status).toBe(409);
    expect(again.data.error.code).toBe('address_suppressed');
    const audit = await env.ctx().shards.withTenant(a.organization.id, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'email.bounced'), eq(auditLog.targetId, email.id))),
    );
    expect(audit).toHaveLength(1);
  });

  it('retries a temporary refusal (451) with backoff, then delivers once', async () => {
    const { person, email } = await emailTo('greylisted');
    const sent = await emailIn(api(), a.token, email.id, ['sent', 'failed', 'bounced'], 30_000);
    expect(sent).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(env.smtp.attempts.get(person.email!)).toBe(3);
    expect(env.smtp.receivedBy(person.email!)).toHaveLength(1);
  });

  it('fails into the dead letter queue when temporary failures outlast the retries', async () => {
    const { person, email } = await emailTo('down');
    const failed = await emailIn(api(), a.token, email.id, ['failed', 'sent', 'bounced'], 40_000);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
    expect(env.smtp.attempts.get(person.email!)).toBe(3);
    await waitFor(async () => (await env.ctx().jobs.deadJobs(a.organization.id)).length > 0, 20_000, 'the dead job');
    const dead = await env.ctx().jobs.deadJobs(a.organization.id);
    expect(dead).toEqual([
      expect.objectContaining({ queue: 'email.send', data: expect.objectContaining({ emailId: email.id }) }),
    ]);
    // A temporary failure never suppresses the address.
    const list = await api().call('GET', '/api/v1/email-suppressions', { token: a.token });
    expect(list.data.data.map((s: { address: string }) => s.address)).not.toContain(person.email);
  });
});

describe('the per-organization throttle', () => {
  it('spreads a campaign at the rate, without holding up a one-off email or another organization', async () => {
    const busy = await api().signup('throttled', { region: 'us' });
    const quiet = await api().signup('unthrottled', { region: 'us' });
    const people: Awaited<ReturnType<typeof contact>>[] = [];
    for (let i = 0; i < 8; i++) people.push(await contact(api(), busy.token));
    const bulk = await api().call('POST', '/api/v1/emails/bulk', {
      token: busy.token,
      body: { subject: 'Spread', text: 'x', select: { ids: people.map((p) => p.id) } },
    });
    expect(bulk.data.queued).toBe(8);
    const oneOff = async (session: Session) => {
      const person = await contact(api(), session.token, { consent: false });
      const sent = await api().call('POST', '/api/v1/emails', {
        token: session.token,
        body: { contactId: person.id, subject: 'Not waiting', text: 'x' },
      });
      expect(sent.status).toBe(202);
      return person.email!;
    };
    const sameOrganization = await oneOff(busy);
    const otherOrganization = await oneOff(quiet);
    await waitFor(() => people.every((p) => env.smtp.receivedBy(p.email!).length === 1), 30_000, 'the campaign');
    const times = people.map((p) => env.smtp.receivedBy(p.email!)[0]!.at).sort((x, y) => x - y);
    // A burst of 3, then 2 a second, each email in a slot of its own: the last five take 2.5 s after the burst.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2_000);
    for (const address of [sameOrganization, otherOrganization]) {
      await waitFor(() => env.smtp.receivedBy(address).length === 1, 10_000, 'the one-off email');
      expect(env.smtp.receivedBy(address)[0]!.at).toBeLessThan(times.at(-1)!);
    }
    // Being put off to a slot is no attempt: each campaign email was claimed and sent once.
    const emails = await env
      .ctx()
      .shards.withTenant(busy.organization.id, (tx) =>
        tx.select().from(emailMessages).where(eq(emailMessages.campaignId, bulk.data.campaignId)),
      );
    expect(emails.every((e) => e.status === 'sent' && e.attempts === 1)).toBe(true);
    const [bucket] = await env
      .ctx()
      .shards.withTenant(busy.organization.id, (tx) =>
        tx.select().from(emailThrottle).where(eq(emailThrottle.organizationId, busy.organization.id)),
      );
    expect(bucket!.tokens).toBeLessThan(3);
  });
});
