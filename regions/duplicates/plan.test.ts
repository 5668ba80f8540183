import { type SQLWrapper, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { companies, contacts, leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { apiClient } from '../../test/support/api.ts';
import { realPostgres } from '../../test/support/databases.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Session, shardOf } from '../conversion/fixtures.ts';
import { countDuplicates, findDuplicates } from './match.ts';
import {
  contactCandidateCount,
  contactCandidates,
  type DuplicateSubject,
  leadCandidateCount,
  leadCandidates,
  subjectKeys,
  useIndexThreshold,
} from './queries.ts';
import { MAX_DUPLICATES } from './rank.ts';

/**
 * Duplicate detection in an organization of thousands of leads and contacts: it finds exactly what it should, and on
 * real PostgreSQL (as the application role, under row-level security) the planner reaches the rows through the
 * duplicate indexes of its own accord, after ANALYZE, with no planner setting forced.
 */

const LEADS = 5000;
const CONTACTS = 2000;
/**
 * Enough that reading them all is clearly dearer than the name index: at 2,000 a sequential scan of companies cost
 * 82, and in one CI run, with other suites writing to the same table, the planner chose it.
 */
const COMPANIES = 20_000;
/** People of exactly the subject's name at other companies: similar names, but not duplicates. */
const NAMESAKES = 60;
const firstNames = ['Ada', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Dennis', 'Frances', 'John'];
const lastNames = ['Lovelace', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Ritchie', 'Allen'];
const person = (i: number) => ({
  firstName: firstNames[i % firstNames.length]!,
  lastName: `${lastNames[Math.floor(i / firstNames.length) % lastNames.length]} ${Math.floor(i / 90)}`,
});

let stack: TestStack;
let org: Session;
let principal: Principal;
const subjectId = newId();
const subject: DuplicateSubject = {
  firstName: 'Grace',
  lastName: 'Hopper',
  email: 'grace@navy.example',
  phone: '+1 202 555 0147',
  company: 'US Navy',
  excludeLeadIds: [subjectId],
  excludeContactIds: [],
};
const { email, phone, company } = subject;
const contactDetails = { email, phone, company };
/** More true duplicates than a count goes to (MAX_DUPLICATES), for the count's probes of an exact company or name. */
const CROWD = 30;
const crowdAtOneCompany = { firstName: 'Alan', lastName: 'Crowd', company: 'Crowd Corp' };
const crowdOfOneName = { firstName: 'Barbara', lastName: 'Throng', company: 'Throng Ltd' };
const crowdSubject = (person: typeof crowdAtOneCompany): DuplicateSubject => ({
  ...person,
  email: null,
  phone: null,
  excludeLeadIds: [],
  excludeContactIds: [],
});
const expected: Record<string, string> = {};

const inTenant = <T>(work: (tx: Tx) => Promise<T>) => shardOf(stack, org).withTenant(org.organization.id, work);

beforeAll(async () => {
  stack = await startTestStack();
  const api = apiClient(stack.edgeUrl);
  org = await api.signup('dupes-scale');
  principal = {
    type: 'user',
    organizationId: org.organization.id,
    region: org.organization.homeRegion,
    userId: org.user.id,
    role: 'admin',
    sessionId: 'plan-test',
  };
  const organizationId = org.organization.id;
  const lead = (fields: Partial<typeof leads.$inferInsert>) => ({ organizationId, id: newId(), ...fields });
  const firmIds = Array.from({ length: COMPANIES }, () => newId());
  const navyId = newId();
  await inTenant(async (tx) => {
    await tx
      .insert(companies)
      .values([
        ...firmIds.map((id, i) => ({ organizationId, id, name: `Firm ${i} Holdings` })),
        { organizationId, id: navyId, name: 'US Navy' },
      ]);
    await tx.insert(leads).values(
      Array.from({ length: LEADS }, (_, i) =>
        lead({
          ...person(i),
          email: `person${i}@scale.example`,
          phone: `+1 303 ${String(i).padStart(7, '0')}`,
          company: `Firm ${i % COMPANIES} Holdings`,
        }),
      ),
    );
    await tx.insert(contacts).values(
      Array.from({ length: CONTACTS }, (_, i) => ({
        organizationId,
        id: newId(),
        ...person(i + 7),
        email: `contact${i}@scale.example`,
        phone: `+44 20 ${String(i).padStart(7, '0')}`,
        companyId: firmIds[i % COMPANIES]!,
      })),
    );
    // People of exactly the subject's name at other companies: the similar name at a similar company is among
    // them, and only it may be found.
    await tx
      .insert(leads)
      .values(
        Array.from({ length: NAMESAKES }, (_, i) =>
          lead({ firstName: 'Grace', lastName: 'Hopper', company: `Acme Logistics ${i}` }),
        ),
      );
    // Crowds of true duplicates: one person entered again and again at one company, and one name at numbered
    // branches of a company (similar companies).
    await tx
      .insert(leads)
      .values([
        ...Array.from({ length: CROWD }, () => lead(crowdAtOneCompany)),
        ...Array.from({ length: CROWD }, (_, i) =>
          lead({ ...crowdOfOneName, company: `${crowdOfOneName.company} ${i}` }),
        ),
      ]);
    const rows = {
      subject: lead({ id: subjectId, firstName: 'Grace', lastName: 'Hopper', ...contactDetails }),
      similar: lead({ firstName: 'Grace', lastName: 'Hoper', company: 'US Navy Inc' }),
      // The subject's own email and phone, as another system might have typed them.
      sameEmail: lead({ firstName: 'G', lastName: 'H', email: ' GRACE@Navy.example' }),
      samePhone: lead({ firstName: 'Switchboard', phone: '+1 (202) 555-0147' }),
    };
    await tx.insert(leads).values(Object.values(rows));
    const [contactByName, contactByPhone] = await tx
      .insert(contacts)
      .values([
        { organizationId, id: newId(), firstName: 'Grace', lastName: 'Hopper', companyId: navyId },
        { organizationId, id: newId(), firstName: 'Desk', phone: '+12025550147' },
      ])
      .returning();
    Object.assign(expected, {
      similar: rows.similar.id,
      sameEmail: rows.sameEmail.id,
      samePhone: rows.samePhone.id,
      contactByName: contactByName!.id,
      contactByPhone: contactByPhone!.id,
    });
  });
}, 300_000);
afterAll(() => stack?.stop());

describe('duplicates among thousands of records', () => {
  it('finds every likely duplicate and nothing else among a crowd of namesakes, and counts them alike', async () => {
    const api = apiClient(stack.edgeUrl);
    const reply = await api.call('GET', `/api/v1/leads/${subjectId}/duplicates`, { token: org.token });
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    const found = reply.data.data as { id: string; reasons: { code: string }[] }[];
    expect(found.map((c) => c.id).sort()).toEqual(Object.values(expected).sort());
    // Possible-Duplicates on create counts, without ranking, exactly what the list shows.
    expect(await inTenant((tx) => countDuplicates(tx, principal, subject))).toBe(found.length);
    const codes = (id: string) => found.find((c) => c.id === id)?.reasons.map((r) => r.code);
    expect(codes(expected.similar!)).toEqual(['similar_name_and_company']);
    expect(codes(expected.contactByName!)).toEqual(['similar_name_and_company']);
    expect(codes(expected.sameEmail!)).toEqual(['same_email']);
    expect(codes(expected.samePhone!)).toEqual(['same_phone']);
    expect(codes(expected.contactByPhone!)).toEqual(['same_phone']);
  });

  it('counts a crowd of duplicates, at one company or of one name, as the list shows it: the first twenty', async () => {
    for (const person of [crowdAtOneCompany, crowdOfOneName]) {
      const crowd = crowdSubject(person);
      const listed = await inTenant((tx) => findDuplicates(tx, principal, crowd));
      expect(listed, person.lastName).toHaveLength(MAX_DUPLICATES);
      expect(listed.every((c) => c.reasons.some((r) => r.code === 'similar_name_and_company'))).toBe(true);
      expect(await inTenant((tx) => countDuplicates(tx, principal, crowd)), person.lastName).toBe(MAX_DUPLICATES);
    }
  });
});

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
};

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

async function planOf(tx: Tx, query: SQLWrapper, analyze?: 'ANALYZE'): Promise<PlanNode[]> {
  const result = await tx.execute(sql`EXPLAIN (${sql.raw(analyze ? 'ANALYZE, ' : '')}FORMAT JSON) ${query}`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  const raw = rows[0]!['QUERY PLAN'];
  const [explained] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  return nodesOf(explained!.Plan);
}

const indexScan = (nodes: PlanNode[], index: string) => nodes.find((n) => n['Index Name'] === index);
const seqScans = (nodes: PlanNode[]) =>
  nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
/** The bitmap scans of GIN trigram indexes whose index condition is pg_trgm's `%`. */
const trigramScans = (nodes: PlanNode[]) =>
  nodes
    .filter((n) => n['Node Type'] === 'Bitmap Index Scan' && n['Index Cond']?.includes(' % '))
    .map((n) => n['Index Name']);

describe.skipIf(!realPostgres)('the query plans on PostgreSQL', () => {
  it('keep the pending list of every GIN index short, so no search or duplicate check reads thousands of new rows one by one', async () => {
    const shard = shardOf(stack, org).forOrganization(org.organization.id);
    const result = await shard.db.execute(
      sql.raw(`SELECT c.relname AS name, coalesce(array_to_string(c.reloptions, ','), '') AS options
        FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_am a ON a.oid = c.relam
        WHERE a.amname = 'gin' ORDER BY 1`),
    );
    const indexes = (result as unknown as { rows: { name: string; options: string }[] }).rows;
    expect(indexes.map((i) => i.name)).toContain('leads_org_name_company_trgm');
    for (const index of indexes) expect(index.options, index.name).toContain('gin_pending_list_limit=512');
  });

  it('reach leads and contacts through the duplicate indexes, never by reading the organization', async () => {
    const keys = subjectKeys(subject);
    // As the application role, which owns its tables: fresh statistics as autovacuum keeps them, and nothing else
    // tuned. VACUUM too, outside a transaction: it updates the GIN indexes' own statistics, which the planner's cost
    // of a trigram scan rests on (an index made when the shared test table was nearly empty would look huge).
    const shard = shardOf(stack, org).forOrganization(org.organization.id);
    for (const table of ['leads', 'contacts', 'companies']) await shard.db.execute(sql.raw(`VACUUM ANALYZE ${table}`));
    await inTenant(async (tx) => {
      await useIndexThreshold(tx);

      // Listed and counted alike: the email and phone keys through their btrees, the similar name at a similar
      // company through the GIN trigram index of both, with `%` on each as its index conditions.
      for (const [what, query] of [
        ['list', leadCandidates(tx, principal, subject, keys)!],
        ['count', leadCandidateCount(principal, subject, keys, 20)!],
      ] as const) {
        const plan = await planOf(tx, query);
        expect(seqScans(plan), `leads ${what}: ${JSON.stringify(plan)}`).toEqual([]);
        expect(indexScan(plan, 'leads_org_email_key')?.['Index Cond'], JSON.stringify(plan)).toContain('email_key =');
        expect(indexScan(plan, 'leads_org_phone_key')?.['Index Cond'], JSON.stringify(plan)).toContain('phone_key =');
        const trigram = trigramScans(plan);
        expect(trigram.length, `leads ${what}: ${JSON.stringify(plan)}`).toBeGreaterThan(0);
        expect(trigram, `leads ${what}: ${JSON.stringify(plan)}`).toEqual(['leads_org_name_company_trgm']);
        expect(indexScan(plan, 'leads_org_name_company_trgm')?.['Index Cond']).toMatch(/name_key % .*company % /);
      }
      // The count's probes read the subject's exact company and exact name through btrees.
      const counted = await planOf(tx, leadCandidateCount(principal, subject, keys, 20)!);
      expect(indexScan(counted, 'leads_org_company')?.['Index Cond'], JSON.stringify(counted)).toContain('company =');
      expect(indexScan(counted, 'leads_org_name_key')?.['Index Cond'], JSON.stringify(counted)).toContain('name_key =');
      // In a crowd the probes alone reach the cap, and the trigram indexes are never read.
      for (const person of [crowdAtOneCompany, crowdOfOneName]) {
        const crowd = crowdSubject(person);
        const ran = await planOf(tx, leadCandidateCount(principal, crowd, subjectKeys(crowd), 20)!, 'ANALYZE');
        const trigramLoops = ran.filter((n) => n['Index Name']?.endsWith('_trgm')).map((n) => n['Actual Loops']);
        expect(trigramLoops.length, JSON.stringify(ran)).toBeGreaterThan(0);
        expect(trigramLoops, `${person.lastName}: ${JSON.stringify(ran)}`).toEqual(trigramLoops.map(() => 0));
      }

      // Contacts: the similar companies through companies' name index (an InitPlan), then the contacts with a
      // similar name among their ids, through the name index or the contacts of those companies.
      for (const [what, query] of [
        ['list', contactCandidates(tx, principal, subject, keys)!],
        ['count', contactCandidateCount(tx, principal, subject, keys, 20)!],
      ] as const) {
        const plan = await planOf(tx, query);
        expect(seqScans(plan), `contacts ${what}: ${JSON.stringify(plan)}`).toEqual([]);
        expect(indexScan(plan, 'contacts_org_email_key')?.['Index Cond'], JSON.stringify(plan)).toContain(
          'email_key =',
        );
        expect(indexScan(plan, 'contacts_org_phone_key')?.['Index Cond'], JSON.stringify(plan)).toContain(
          'phone_key =',
        );
        expect(trigramScans(plan), JSON.stringify(plan)).toContain('companies_org_name_trgm');
        const byName = indexScan(plan, 'contacts_org_name_key_trgm')?.['Index Cond'];
        const byCompany = indexScan(plan, 'contacts_org_company')?.['Index Cond'];
        expect(byName?.includes('name_key %') || byCompany?.includes('company_id = ANY'), JSON.stringify(plan)).toBe(
          true,
        );
      }
    });
  });
});
