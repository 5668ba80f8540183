import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { contacts } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { rows } from '../analytics/sql.ts';
import { type Session, shardOf } from '../conversion/fixtures.ts';
import { tidySearchWords } from './words.ts';

/**
 * The organization's table of words (migration 0038), which a search with a typo corrects its words against: kept
 * by the records' own writes, one organization's invisible to every other.
 */

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let a: Session;
let b: Session;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  [a, b] = await Promise.all([api.signup('words-a'), api.signup('words-b')]);
});
afterAll(() => stack?.stop());

const wordsOf = (session: Session) =>
  shardOf(stack, session).withTenant(session.organization.id, async (tx) =>
    (await rows<{ word: string }>(tx, sql`SELECT word FROM search_words ORDER BY word`)).map((r) => r.word),
  );

async function create(session: Session, body: Record<string, unknown>): Promise<string> {
  const made = await api.call('POST', '/api/v1/leads', { token: session.token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data.id;
}

const titles = async (session: Session, q: string) => {
  const reply = await api.call('GET', `/api/v1/search?q=${encodeURIComponent(q)}`, { token: session.token });
  expect(reply.status).toBe(200);
  return reply.data.data.map((hit: { title: string }) => hit.title);
};

describe('the words a search corrects typos against', () => {
  it("holds a new record's words, never its numbers, email or address", async () => {
    await create(a, {
      firstName: 'Zebulon',
      lastName: "O'Quillan",
      email: 'zeb.q@quillan-works.example',
      phone: '+1 555 0100',
      company: 'Quillan Works 42',
    });
    const words = await wordsOf(a);
    expect(words).toEqual(expect.arrayContaining(['zebulon', 'quillan', 'works']));
    expect(words.filter((w) => /[0-9@.]/.test(w))).toEqual([]);
  });

  it('lets a search with a typo in every word find the record', async () => {
    expect(await titles(a, 'zebulen quilan')).toEqual(["Zebulon O'Quillan"]);
  });

  it('keeps a word a change took away until the daily tidy, which forgets only what no record has', async () => {
    const first = await create(a, { firstName: 'Thaddeus', lastName: 'Vanterpool' });
    const second = await create(a, { firstName: 'Thaddeus', lastName: 'Okonkwo' });
    expect(await wordsOf(a)).toEqual(expect.arrayContaining(['thaddeus', 'vanterpool', 'okonkwo']));
    const renamed = await api.call('PATCH', `/api/v1/leads/${first}`, {
      token: a.token,
      body: { lastName: 'Vandermeer' },
    });
    expect(renamed.status).toBe(200);
    expect((await api.call('DELETE', `/api/v1/leads/${second}`, { token: a.token })).status).toBe(204);
    expect(await wordsOf(a)).toEqual(expect.arrayContaining(['vandermeer', 'vanterpool', 'okonkwo']));
    const org = a.organization.id;
    const tidied = await shardOf(stack, a).withTenant(org, (tx) => tidySearchWords(tx, org));
    expect(tidied).toEqual({ added: 0, removed: 2 });
    const words = await wordsOf(a);
    expect(words).toEqual(expect.arrayContaining(['thaddeus', 'vandermeer', 'zebulon']));
    expect(words).not.toContain('vanterpool');
    expect(words).not.toContain('okonkwo');
  });

  it('brings back a word the table lost, and forgets an erased name at once', async () => {
    const org = a.organization.id;
    const lead = await create(a, { firstName: 'Philippa', lastName: 'Quarrington' });
    await shardOf(stack, a).withTenant(org, (tx) => tx.execute(sql`DELETE FROM search_words WHERE word = 'philippa'`));
    expect(await shardOf(stack, a).withTenant(org, (tx) => tidySearchWords(tx, org))).toEqual({ added: 1, removed: 0 });
    expect(await wordsOf(a)).toContain('philippa');
    const erased = await api.call('POST', `/api/v1/privacy/people/lead/${lead}/erase`, { token: a.token });
    expect(erased.status, JSON.stringify(erased.data)).toBe(200);
    const words = await wordsOf(a);
    expect(words).not.toContain('philippa');
    expect(words).not.toContain('quarrington');
  });

  it('takes the words of a many-row write once each, from every searchable table', async () => {
    const org = a.organization.id;
    await shardOf(stack, a).withTenant(org, (tx) =>
      tx.insert(contacts).values(
        Array.from({ length: 200 }, (_, i) => ({
          organizationId: org,
          id: newId(),
          firstName: i % 2 ? 'Marisol' : 'Ingeborg',
          lastName: 'Fairweather',
        })),
      ),
    );
    const words = await wordsOf(a);
    expect(words.filter((w) => ['marisol', 'ingeborg', 'fairweather'].includes(w)).sort()).toEqual([
      'fairweather',
      'ingeborg',
      'marisol',
    ]);
  });

  it('lets writes that add the same new words at once all commit', async () => {
    const names = ['Quorra', 'Tyburn', 'Wystan', 'Ximena'];
    const made = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api.call('POST', '/api/v1/leads', {
          token: a.token,
          body: { firstName: names[i % 4], lastName: names[(i + 1 + (i % 3)) % 4], title: names[(i + 2) % 4] },
        }),
      ),
    );
    expect(made.map((reply) => reply.status)).toEqual(made.map(() => 201));
    expect(await wordsOf(a)).toEqual(expect.arrayContaining(names.map((n) => n.toLowerCase())));
  });

  it("never shows or uses one organization's words in another", async () => {
    expect(await wordsOf(b)).not.toEqual(expect.arrayContaining(['zebulon']));
    const leaked = await shardOf(stack, b).withTenant(b.organization.id, (tx) =>
      rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM search_words WHERE word = 'zebulon'`),
    );
    expect(leaked[0]!.n).toBe(0);
    expect(await titles(b, 'zebulen quilan')).toEqual([]);
    await create(b, { firstName: 'Zebulon', lastName: 'Brightwater' });
    expect(await titles(b, 'zebulen')).toEqual(['Zebulon Brightwater']);
    expect(await titles(a, 'brightwatter')).toEqual([]);
  });

  it('refuses a word written under another organization', async () => {
    const planted = shardOf(stack, b).withTenant(b.organization.id, (tx) =>
      tx.execute(sql`INSERT INTO search_words (organization_id, word) VALUES (${a.organization.id}, 'planted')`),
    );
    const error = await planted.then(
      () => null,
      (e: Error) => e,
    );
    expect(String((error?.cause as Error | undefined)?.message ?? error)).toMatch(/row-level security/);
    expect(await wordsOf(a)).not.toContain('planted');
  });
});
