import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import type { SearchableRecord } from './documents.ts';
import type { SearchableType, SearchBackend } from './query.ts';

export type SearchFixture = {
  backend: SearchBackend;
  /** Stores the records for the organization the way this back end is fed. */
  seed(organizationId: string, records: SearchableRecord[]): Promise<void>;
};

/** What every search back end must answer alike: prefix, typos, ranking, tenant and owner scoping, types, limits. */
export function describeSearchContract(name: string, open: () => Promise<SearchFixture>, skip = false) {
  describe.skipIf(skip)(`${name} search back end (contract)`, () => {
    const orgA = newId();
    const orgB = newId();
    const rep = newId();
    let backend: SearchBackend;
    const ask = (
      organizationId: string,
      text: string,
      types: SearchableType[] = ['lead', 'contact', 'company', 'deal'],
      ownerOnly: string | null = null,
    ) => backend.search({ organizationId, text, types, ownerOnly, limit: 50 }).then((hits) => hits.map((h) => h.title));

    beforeAll(async () => {
      const fixture = await open();
      backend = fixture.backend;
      await fixture.seed(orgA, [
        {
          type: 'lead',
          id: newId(),
          firstName: 'Ada',
          lastName: 'Lovelace',
          email: 'ada@analytical.example',
          company: 'Analytical Engines',
          ownerId: null,
        },
        { type: 'lead', id: newId(), firstName: 'Alan', lastName: 'Turing', ownerId: rep },
        { type: 'contact', id: newId(), firstName: 'Charles', lastName: 'Babbage', ownerId: null },
        { type: 'company', id: newId(), name: 'Analytical Engines Ltd', domain: 'analytical.example', ownerId: null },
        { type: 'deal', id: newId(), name: 'Difference engine', amount: '100.00', currency: 'GBP', ownerId: rep },
      ]);
      await fixture.seed(orgB, [{ type: 'lead', id: newId(), firstName: 'Ada', lastName: 'Byron', ownerId: null }]);
    });

    it('matches words by prefix, within one organization', async () => {
      expect(await ask(orgA, 'lovel')).toEqual(['Ada Lovelace']);
      expect(await ask(orgB, 'ada')).toEqual(['Ada Byron']);
    });

    it('forgives a typo', async () => {
      expect(await ask(orgA, 'babage')).toContain('Charles Babbage');
    });

    it('searches only the types asked for', async () => {
      expect((await ask(orgA, 'analytical', ['company'])).sort()).toEqual(['Analytical Engines Ltd']);
      expect((await ask(orgA, 'analytical', ['lead', 'company'])).sort()).toEqual([
        'Ada Lovelace',
        'Analytical Engines Ltd',
      ]);
    });

    it('shows an owner only their own records, and every company', async () => {
      expect((await ask(orgA, 'a', ['lead', 'deal', 'company'], rep)).sort()).toEqual(
        expect.arrayContaining(['Alan Turing']),
      );
      expect(await ask(orgA, 'lovelace', ['lead'], rep)).toEqual([]);
      expect(await ask(orgA, 'difference', ['deal'], rep)).toEqual(['Difference engine']);
      expect(await ask(orgA, 'analytical', ['company'], rep)).toEqual(['Analytical Engines Ltd']);
    });

    it('finds nothing for words nobody has', async () => {
      expect(await ask(orgA, 'zzyzx')).toEqual([]);
    });
  });
}
