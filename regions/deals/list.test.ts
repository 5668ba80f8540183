import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type Reply } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import {
  type Api,
  createPipeline,
  defaultPipeline,
  insertCompany,
  insertContact,
  type Session,
  stageNamed,
} from '../pipelines/fixtures.ts';

let stack: TestStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

type Deal = Record<string, any> & { id: string; version: number };

async function createDeal(session: Session, body: Record<string, unknown> = {}): Promise<Deal> {
  const made = await api.call('POST', '/api/v1/deals', { token: session.token, body: { name: 'Deal', ...body } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data;
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe('listing deals', () => {
  it('filters by pipeline, stage, status, owner, contact, company, tag and expected close dates, and pages', async () => {
    const org = await api.signup('deal-filters');
    const rep = await api.member(org.token, 'sales_rep');
    const sales = await defaultPipeline(api, org.token);
    const other = await createPipeline(api, org.token);
    const contactId = await insertContact(stack, org);
    const companyId = await insertCompany(stack, org);
    const made: Deal[] = [];
    for (let i = 0; i < 12; i++) {
      made.push(
        await createDeal(org, {
          name: `Deal ${i}`,
          pipelineId: i % 3 === 0 ? other.id : sales.id,
          ownerId: i % 2 ? rep.user.id : org.user.id,
          contactId: i % 4 === 0 ? contactId : null,
          companyId: i % 5 === 0 ? companyId : null,
          tags: i % 2 ? ['Hot'] : ['cold', 'q4'],
          expectedCloseDate: `2026-12-${String(i + 10).padStart(2, '0')}`,
        }),
      );
    }
    const won = made[4]!;
    expect((await api.call('POST', `/api/v1/deals/${won.id}/won`, { token: org.token })).status).toBe(200);
    const lost = made[6]!;
    expect(
      (await api.call('POST', `/api/v1/deals/${lost.id}/lost`, { token: org.token, body: { reason: 'Budget' } }))
        .status,
    ).toBe(200);

    async function all(query: string, token = org.token) {
      const seen: Deal[] = [];
      let cursor: string | null = null;
      do {
        const page: Reply = await api.call(
          'GET',
          `/api/v1/deals?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`,
          {
            token,
          },
        );
        expect(page.status, `${query} ${JSON.stringify(page.data)}`).toBe(200);
        expect(page.data.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data.data);
        cursor = page.data.nextCursor;
      } while (cursor);
      return ids(seen);
    }
    const expected = (keep: (d: Deal, i: number) => boolean) => ids(made.filter(keep).reverse());

    expect(await all('')).toEqual(expected(() => true));
    expect(await all(`pipelineId=${other.id}`)).toEqual(expected((_, i) => i % 3 === 0));
    const qualification = stageNamed(sales, 'Qualification');
    expect(await all(`stageId=${qualification.id}`)).toEqual(expected((_, i) => i % 3 !== 0 && i !== 4));
    expect(await all('status=won')).toEqual([won.id]);
    expect(await all('status=lost')).toEqual([lost.id]);
    expect(await all('status=open')).toEqual(expected((d) => d.id !== won.id && d.id !== lost.id));
    expect(await all(`ownerId=${rep.user.id}`)).toEqual(expected((_, i) => i % 2 === 1));
    expect(await all(`contactId=${contactId}`)).toEqual(expected((_, i) => i % 4 === 0));
    expect(await all(`companyId=${companyId}`)).toEqual(expected((_, i) => i % 5 === 0));
    expect(await all('tag=HOT')).toEqual(expected((_, i) => i % 2 === 1));
    expect(await all('tag=q4')).toEqual(expected((_, i) => i % 2 === 0));
    expect(await all('tag=none')).toEqual([]);
    expect(await all('expectedCloseAfter=2026-12-18')).toEqual(expected((_, i) => i >= 8));
    expect(await all('expectedCloseBefore=2026-12-12')).toEqual(expected((_, i) => i <= 2));
    expect(await all('expectedCloseAfter=2026-12-12&expectedCloseBefore=2026-12-14')).toEqual(
      expected((_, i) => i >= 2 && i <= 4),
    );
    expect(await all(`ownerId=${rep.user.id}&tag=hot&pipelineId=${sales.id}&status=open`)).toEqual(
      expected((_, i) => i % 2 === 1 && i % 3 !== 0),
    );
    // A sales rep pages through their own deals only, with or without filters.
    expect(await all('', rep.token)).toEqual(expected((_, i) => i % 2 === 1));
    expect(await all('tag=q4', rep.token)).toEqual([]);
    expect(await all(`ownerId=${org.user.id}`, rep.token)).toEqual([]);

    for (const query of [
      'status=pending',
      'pipelineId=x',
      'expectedCloseAfter=2026-13-01',
      'expectedCloseBefore=tomorrow',
      'expectedCloseAfter=0000-12-31',
      'limit=0',
      'limit=201',
      'tag=',
      'cursor=bogus',
    ]) {
      const reply = await api.call('GET', `/api/v1/deals?${query}`, { token: org.token });
      expectError(reply, 400, ['validation_failed', 'invalid_cursor'], query);
    }
  });
});
