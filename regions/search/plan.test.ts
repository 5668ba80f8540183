import { type SQLWrapper, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { companies, contacts, leads } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { realPostgres } from '../../test/support/databases.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Session, shardOf } from '../conversion/fixtures.ts';
import { CANDIDATES_PER_TYPE, collectTiers, wordSimilarityThreshold } from './postgres.ts';
import type { SearchRequest } from './query.ts';

/**
 * Search in an organization of tens of thousands of records finds by prefix and through a typo, best first; on real
 * PostgreSQL the match operators are LEAKPROOF, which lets the planner use the search indexes under row-level
 * security (migration 0018).
 */

const RECORDS = 4000;
const LEADS = 30_000;
const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
const nameOf = (i: number) => `${words[i % 10]}${i} ${words[Math.floor(i / 10) % 10]}son`;

let stack: TestStack;
let org: Session;
const wanted: Record<string, string> = {};

const inTenant = <T>(work: (tx: Tx) => Promise<T>) => shardOf(stack, org).withTenant(org.organization.id, work);

beforeAll(async () => {
  stack = await startTestStack();
  org = await apiClient(stack.edgeUrl).signup('search-scale');
  const organizationId = org.organization.id;
  await inTenant(async (tx) => {
    const people = (prefix: string) =>
      Array.from({ length: RECORDS }, (_, i) => {
        const [firstName, lastName] = nameOf(i).split(' ') as [string, string];
        return { organizationId, id: newId(), firstName, lastName, email: `${prefix}${i}@scale.example` };
      });
    for (let from = 0; from < LEADS; from += 5000) {
      await tx.insert(leads).values(
        Array.from({ length: 5000 }, (_, k) => {
          const i = from + k;
          const [firstName, lastName] = nameOf(i).split(' ') as [string, string];
          return { organizationId, id: newId(), firstName, lastName, email: `lead${i}@scale.example` };
        }),
      );
    }
    await tx.insert(contacts).values(people('contact'));
    await tx
      .insert(companies)
      .values(
        Array.from({ length: RECORDS }, (_, i) => ({ organizationId, id: newId(), name: `${nameOf(i)} Holdings` })),
      );
    const [lead] = await tx
      .insert(leads)
      .values({ organizationId, id: newId(), firstName: 'Grace', lastName: 'Hopper', company: 'Navy' })
      .returning();
    const [contact] = await tx
      .insert(contacts)
      .values({ organizationId, id: newId(), firstName: 'Grace', lastName: 'Hopperton' })
      .returning();
    const [company] = await tx
      .insert(companies)
      .values({ organizationId, id: newId(), name: 'Hopper Labs' })
      .returning();
    Object.assign(wanted, { lead: lead!.id, contact: contact!.id, company: company!.id });
  });
}, 300_000);
afterAll(() => stack?.stop());

const request = (text: string): SearchRequest => ({
  organizationId: org.organization.id,
  text,
  types: ['lead', 'contact', 'company'],
  ownerOnly: null,
  limit: 50,
});

async function rowsOf(tx: Tx, query: SQLWrapper): Promise<Record<string, unknown>[]> {
  const result = await tx.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
}

const searchFor = (text: string) =>
  inTenant(async (tx) => {
    await tx.execute(wordSimilarityThreshold);
    return collectTiers(request(text), (statement) => rowsOf(tx, statement));
  });

describe('search among thousands of records', () => {
  it.each(['hopp', 'hoper', 'hopper'])('finds the lead, the contact and the company for "%s"', async (text) => {
    // Short words match many names through their first letters; the real matches rank first.
    const ids = (await searchFor(text)).slice(0, 3).map((hit) => hit.id);
    expect(ids.sort()).toEqual([wanted.lead, wanted.contact, wanted.company].sort());
  });

  it.each(['grace hopper', 'grac hopp', 'gr hopper', 'grace hoper', 'grase hopper'])(
    'finds the people every word names for "%s"',
    async (text) => {
      // Every word must match, as typed or corrected: "Hopper Labs" has no "grace".
      const ids = (await searchFor(text)).slice(0, 2).map((hit) => hit.id);
      expect(ids.sort()).toEqual([wanted.lead, wanted.contact].sort());
    },
  );

  it('leaves out a word nothing in the organization resembles, rather than finding nothing', async () => {
    const ids = (await searchFor('grace hoper zzyzx')).slice(0, 2).map((hit) => hit.id);
    expect(ids.sort()).toEqual([wanted.lead, wanted.contact].sort());
  });
});

describe('search of a word thousands of records share', () => {
  it('ranks a bounded number of them and still puts whole-word matches first', async () => {
    // Every lead, contact and company name has "alpha"…"juliet" + "son" as its last word: 3,000 leads per word.
    const hits = await searchFor('bravoson');
    expect(hits).toHaveLength(50);
    expect(hits.filter((hit) => !/\bbravoson\b/.test(hit.title))).toEqual([]);
    expect(CANDIDATES_PER_TYPE).toBeLessThan(3000);
  });
});

describe.skipIf(!realPostgres)('search under row-level security on PostgreSQL', () => {
  it('has the match operators marked LEAKPROOF, so the planner may use the search indexes below the policy', async () => {
    // Whether it then does is the planner's choice by cost: on a 300,000-lead organization, EXPLAIN as crm_app went
    // from a sequential scan (4.4 s) to bitmap scans of leads_org_search_vector and leads_org_search_trgm with the
    // search conditions as index conditions (migration 0018). In this shared test database the costs vary with
    // what other suites wrote, so the plan itself is not asserted here.
    const [row] = await inTenant((tx) =>
      rowsOf(
        tx,
        sql`SELECT bool_and(proleakproof) AS ok, count(*)::int AS n FROM pg_proc
            WHERE proname IN ('ts_match_vq', 'word_similarity_op')`,
      ),
    );
    expect(row, 'the set-up marks the match operators LEAKPROOF (scripts/db-setup.ts)').toEqual({ ok: true, n: 2 });
  });
});
