import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type Reply } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Activity, type Api, ids, insertRecord, newActivity, newLead, type Session } from './fixtures.ts';

let stack: TestStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

async function pages(token: string, query: string) {
  const result: Activity[][] = [];
  let cursor: string | null = null;
  do {
    const reply: Reply = await api.call('GET', `/api/v1/activities?${query}${cursor ? `&cursor=${cursor}` : ''}`, {
      token,
    });
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    result.push(reply.data.data);
    cursor = reply.data.nextCursor;
  } while (cursor && result.length < 100);
  return result;
}

describe('GET /api/v1/activities', () => {
  let org: Session;
  let rep: { token: string; user: { id: string } };
  let created: Activity[];
  let links: { leadId: string; contactId: string; companyId: string; dealId: string };

  beforeAll(async () => {
    org = await api.signup('activity-list');
    rep = await api.member(org.token, 'sales_rep');
    links = {
      leadId: await newLead(api, org.token, { ownerId: rep.user.id }),
      contactId: await insertRecord(stack, org, 'contact', rep.user.id),
      companyId: await insertRecord(stack, org, 'company'),
      dealId: await insertRecord(stack, org, 'deal', rep.user.id),
    };
    const kinds = [
      { type: 'task', subject: 'T' },
      { type: 'call', subject: 'C' },
      { type: 'note', body: 'N' },
      { type: 'meeting', subject: 'M', startsAt: '2030-01-01T10:00:00Z', endsAt: '2030-01-01T11:00:00Z' },
      { type: 'email', subject: 'E', emailDirection: 'outbound', emailFrom: 'a@x.example', emailTo: ['b@x.example'] },
    ];
    const linkSets = [
      { leadId: links.leadId },
      { contactId: links.contactId },
      { companyId: links.companyId },
      { dealId: links.dealId },
      { leadId: links.leadId, dealId: links.dealId },
      { contactId: links.contactId, companyId: links.companyId },
    ];
    created = [];
    for (let i = 0; i < 25; i++) {
      created.push(
        await newActivity(api, org.token, {
          ...kinds[i % kinds.length],
          ...linkSets[i % linkSets.length],
          ownerId: i % 3 === 0 ? rep.user.id : org.user.id,
        }),
      );
    }
  });

  it('pages newest first through every activity, whatever the page size', async () => {
    const newestFirst = ids([...created].reverse());
    for (const limit of [1, 4, 7, 25, 200]) {
      const result = await pages(org.token, `limit=${limit}`);
      expect(ids(result.flat()), `limit=${limit}`).toEqual(newestFirst);
      for (const page of result.slice(0, -1)) expect(page).toHaveLength(limit);
    }
    const first = await api.call('GET', '/api/v1/activities', { token: org.token });
    expect(ids(first.data.data)).toEqual(newestFirst);
    expect(first.data.nextCursor).toBeNull();
  });

  it('combines every filter with pagination', async () => {
    const expectPaged = async (query: string, keep: (a: Activity) => boolean, token = org.token) => {
      const wanted = created.filter(keep).reverse();
      expect(wanted.length, query).toBeGreaterThan(0);
      const result = await pages(token, `limit=2&${query}`);
      expect(ids(result.flat()), query).toEqual(ids(wanted));
    };
    await expectPaged('type=meeting', (a) => a.type === 'meeting');
    await expectPaged(`ownerId=${rep.user.id}`, (a) => a.ownerId === rep.user.id);
    await expectPaged(`leadId=${links.leadId}`, (a) => a.leadId === links.leadId);
    await expectPaged(`contactId=${links.contactId}`, (a) => a.contactId === links.contactId);
    await expectPaged(`companyId=${links.companyId}`, (a) => a.companyId === links.companyId);
    await expectPaged(`dealId=${links.dealId}`, (a) => a.dealId === links.dealId);
    await expectPaged(`type=task&dealId=${links.dealId}`, (a) => a.type === 'task' && a.dealId === links.dealId);
    await expectPaged(
      `leadId=${links.leadId}&ownerId=${org.user.id}`,
      (a) => a.leadId === links.leadId && a.ownerId === org.user.id,
    );
    await expectPaged('done=false', (a) => a.type === 'task');
    // A sales rep pages through their own only, with and without further filters.
    await expectPaged('', (a) => a.ownerId === rep.user.id, rep.token);
    await expectPaged('type=call', (a) => a.ownerId === rep.user.id && a.type === 'call', rep.token);
    // Naming someone else's activities does not show them to a rep.
    const none = await api.call('GET', `/api/v1/activities?ownerId=${org.user.id}`, { token: rep.token });
    expect(none.data).toEqual({ data: [], nextCursor: null });
  });

  it('refuses bad filters, limits and cursors with a 400 naming them', async () => {
    for (const [query, path] of [
      ['type=sms', 'type'],
      ['ownerId=me', 'ownerId'],
      ['leadId=1', 'leadId'],
      ['contactId=x', 'contactId'],
      ['companyId=x', 'companyId'],
      ['dealId=x', 'dealId'],
      ['done=maybe', 'done'],
      ['dueBefore=2030-13-01T00:00:00Z', 'dueBefore'],
      ['dueBefore=0000-01-01T00:00:00Z', 'dueBefore'],
      ['dueAfter=9999-12-31T23:59:59-05:00', 'dueAfter'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
    ] as const) {
      const reply: Reply = await api.call('GET', `/api/v1/activities?${query}`, { token: org.token });
      expectError(reply, 400, 'validation_failed', query);
      expect(reply.data.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    for (const cursor of [
      'nope',
      'eyJ2IjoxLCJpZCI6Ii0xIn0',
      'eyJ2IjoyLCJpZCI6IjAxOTNhNWY0LTNjNGQtN2U1Zi04YTZiLTdjOGQ5ZTBmMWEyYiJ9',
    ]) {
      expectError(
        await api.call('GET', `/api/v1/activities?cursor=${cursor}`, { token: org.token }),
        400,
        'invalid_cursor',
      );
    }
  });

  it('skips and repeats nothing while activities are added between pages', async () => {
    const fresh = await api.signup('activity-list-concurrent');
    const leadId = await newLead(api, fresh.token);
    const before: Activity[] = [];
    for (let i = 0; i < 9; i++)
      before.push(await newActivity(api, fresh.token, { type: 'note', body: `B${i}`, leadId }));
    const seen: Activity[] = [];
    let cursor: string | null = null;
    do {
      const reply: Reply = await api.call('GET', `/api/v1/activities?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        token: fresh.token,
      });
      seen.push(...reply.data.data);
      cursor = reply.data.nextCursor;
      await newActivity(api, fresh.token, { type: 'note', body: 'During', leadId });
    } while (cursor);
    expect(ids(seen)).toEqual(ids([...before].reverse()));
  });
});
