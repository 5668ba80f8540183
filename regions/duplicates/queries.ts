import { and, desc, eq, notInArray, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies, contacts, leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';
import { fullName, normaliseEmail, normalisePhone } from './normalise.ts';
import { EMAIL_WEIGHT, MAX_DUPLICATES, NAME_WEIGHT, PHONE_WEIGHT, SIMILARITY_THRESHOLD } from './rank.ts';

/**
 * The SQL of duplicate detection, written so that PostgreSQL answers it through indexes (migrations
 * 0007_duplicate_indexes, 0032_duplicate_name_keys and 0036_duplicate_probe_indexes) even under row-level security.
 * RLS makes the planner apply the tenant policy before any condition that is not LEAKPROOF, and only a superuser can
 * mark a function so: `lower(email) = $1` would filter every row of the organization rather than look anything up.
 * So:
 * - email and phone compare the stored generated columns `email_key`/`phone_key` (normaliseEmail/normalisePhone in
 *   SQL) with plain text equality, which is leakproof, through btree indexes;
 * - names compare the stored generated column `name_key` with pg_trgm's `%` (similarity_op, marked LEAKPROOF by the
 *   set-up), through GIN trigram indexes, together with the company (a similar name counts only at a similar
 *   company): leads' name and company through one index of both, which finds the rows similar in both inside it;
 *   contacts' company_id among the ids of the similar companies (companies' name index);
 * - the score, and the exact similarity test, are computed only over those candidates, in the same statement.
 */

export type DuplicateKind = 'lead' | 'contact';

/** The record whose duplicates are wanted, and the records that are it (itself, its conversion) and never count. */
export type DuplicateSubject = {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  excludeLeadIds: string[];
  excludeContactIds: string[];
};

/** The subject's comparable values: what each kind of evidence compares, or null when the subject lacks it. */
export type SubjectKeys = { email: string | null; phone: string | null; name: string | null; company: string | null };

export function subjectKeys(subject: DuplicateSubject): SubjectKeys {
  const name = fullName(subject.firstName, subject.lastName);
  const company = subject.company?.trim() || null;
  // A similar name counts only together with a similar company, so without both there is nothing to compare.
  const comparable = name !== '' && company !== null;
  return {
    email: normaliseEmail(subject.email),
    phone: normalisePhone(subject.phone),
    name: comparable ? name : null,
    company: comparable ? company : null,
  };
}

export const worthAsking = (keys: SubjectKeys) => Boolean(keys.email || keys.phone || keys.name);

/**
 * The threshold of pg_trgm's `%`, which picks the candidates from the trigram indexes. pg_trgm compares float4
 * similarities, so a hair of slack keeps a name that rounds onto SIMILARITY_THRESHOLD among them; the exact test
 * over the candidates then decides, as before.
 */
export const INDEX_THRESHOLD = SIMILARITY_THRESHOLD - 0.001;

/** Sets `%`'s threshold for the rest of the transaction; run it before the candidate queries of a subject with a name. */
export const useIndexThreshold = (tx: Tx) =>
  tx.execute(sql`SELECT set_config('pg_trgm.similarity_threshold', ${String(INDEX_THRESHOLD)}, true)`);

// The generated columns live only in the migrations (like search_text), not in the drizzle schema.
const keyOf = (table: typeof leads | typeof contacts, column: 'email_key' | 'phone_key' | 'name_key') =>
  sql`${table}.${sql.identifier(column)}`;

type Columns = {
  table: typeof leads | typeof contacts;
  /** The company name a candidate is compared by. */
  company: SQLWrapper;
  /** The index condition for candidates with a similar name at a similar company (given the subject has both). */
  similarNameAndCompany: (name: string, company: string) => SQL;
};

/**
 * One table's comparisons with the subject (each false/0 when the subject lacks the field); `candidates`, the
 * index-backed superset (same email key, same phone key, or a similar name at a similar company by `%`);
 * `anyMatch`, which of them are likely duplicates; and rankMatch's score in SQL so each table's best
 * MAX_DUPLICATES can be cut there.
 */
function comparisons(keys: SubjectKeys, { table, company, similarNameAndCompany }: Columns) {
  const emailKey = keyOf(table, 'email_key');
  const phoneKey = keyOf(table, 'phone_key');
  const sameEmail = keys.email ? sql`coalesce(${emailKey} = ${keys.email}, false)` : sql`false`;
  const samePhone = keys.phone ? sql`coalesce(${phoneKey} = ${keys.phone}, false)` : sql`false`;
  const nameSimilarity = keys.name
    ? sql`similarity(${keyOf(table, 'name_key')}, ${keys.name})::float8`
    : sql`0::float8`;
  const companySimilarity = keys.company
    ? sql`coalesce(similarity(${company}, ${keys.company}), 0)::float8`
    : sql`0::float8`;
  const similar = sql`(${nameSimilarity} >= ${SIMILARITY_THRESHOLD} AND ${companySimilarity} >= ${SIMILARITY_THRESHOLD})`;
  const chance = (matched: SQL, weight: SQL) => sql`(1 - CASE WHEN ${matched} THEN ${weight} ELSE 0 END)`;
  const score = sql`round(100 * (1 - ${chance(sameEmail, sql`${EMAIL_WEIGHT}::float8`)} * ${chance(
    samePhone,
    sql`${PHONE_WEIGHT}::float8`,
  )} * ${chance(similar, sql`${NAME_WEIGHT}::float8 * (${nameSimilarity} + ${companySimilarity}) / 2`)}))`;
  const candidates = or(
    keys.email ? sql`${emailKey} = ${keys.email}` : undefined,
    keys.phone ? sql`${phoneKey} = ${keys.phone}` : undefined,
    keys.name && keys.company ? sql`(${similarNameAndCompany(keys.name, keys.company)})` : undefined,
  );
  return {
    select: {
      sameEmail: sql<boolean>`${sameEmail}`.mapWith(Boolean),
      samePhone: sql<boolean>`${samePhone}`.mapWith(Boolean),
      nameSimilarity: sql<number>`${nameSimilarity}`.mapWith(Number),
      companySimilarity: sql<number>`${companySimilarity}`.mapWith(Number),
    },
    candidates,
    anyMatch: or(sameEmail, samePhone, similar)!,
    score,
  };
}

/**
 * Which of the organization's leads (a sales rep's own only) are the subject's likely duplicates, as a WHERE
 * condition, with the comparisons to select and rank by; null when there is nothing to look for.
 */
function leadMatches(principal: Principal, subject: DuplicateSubject, keys: SubjectKeys) {
  const compare = comparisons(keys, {
    table: leads,
    company: leads.company,
    // Both conditions are the one GIN index's (leads_org_name_company_trgm): only rows similar in both are read.
    similarNameAndCompany: (name, company) =>
      sql`${keyOf(leads, 'name_key')} % ${name} AND ${leads.company} % ${company}`,
  });
  if (!compare.candidates) return null;
  const own = ownRecordsOnly(principal);
  // Which of the organization's rows at hand count: the caller's to see, not the subject, a likely duplicate.
  const counted = and(
    own ? eq(leads.ownerId, own) : undefined,
    subject.excludeLeadIds.length ? notInArray(leads.id, subject.excludeLeadIds) : undefined,
    compare.anyMatch,
  )!;
  const where = and(eq(leads.organizationId, principal.organizationId), compare.candidates, counted);
  return { compare, where, counted };
}

/** As leadMatches, among contacts, whose company is the name of the company they belong to. */
function contactMatches(tx: Tx, principal: Principal, subject: DuplicateSubject, keys: SubjectKeys) {
  const { organizationId } = principal;
  const compare = comparisons(keys, {
    table: contacts,
    company: companies.name,
    // The company is another table's, so the similar companies' ids (one small GIN read of companies, run once as
    // an InitPlan) narrow the contacts with a similar name: a common name at other companies reads no contacts.
    similarNameAndCompany: (name, company) => {
      const similarCompanies = tx
        .select({ id: companies.id })
        .from(companies)
        .where(and(eq(companies.organizationId, organizationId), sql`${companies.name} % ${company}`));
      return sql`${keyOf(contacts, 'name_key')} % ${name} AND ${contacts.companyId} = ANY(ARRAY${similarCompanies})`;
    },
  });
  if (!compare.candidates) return null;
  const own = ownRecordsOnly(principal);
  const where = and(
    eq(contacts.organizationId, organizationId),
    own ? eq(contacts.ownerId, own) : undefined,
    subject.excludeContactIds.length ? notInArray(contacts.id, subject.excludeContactIds) : undefined,
    compare.candidates,
    compare.anyMatch,
  );
  return { compare, where };
}

const companyOfContact = and(
  eq(companies.organizationId, contacts.organizationId),
  eq(companies.id, contacts.companyId),
);

/** The subject's likely duplicates among the organization's leads, best first, at most MAX_DUPLICATES. */
export function leadCandidates(tx: Tx, principal: Principal, subject: DuplicateSubject, keys: SubjectKeys) {
  const matches = leadMatches(principal, subject, keys);
  if (!matches) return null;
  return tx
    .select({
      id: leads.id,
      firstName: leads.firstName,
      lastName: leads.lastName,
      email: leads.email,
      phone: leads.phone,
      company: leads.company,
      ownerId: leads.ownerId,
      ...matches.compare.select,
    })
    .from(leads)
    .where(matches.where)
    .orderBy(desc(matches.compare.score), desc(leads.id))
    .limit(MAX_DUPLICATES);
}

/** As leadCandidates, among contacts. */
export function contactCandidates(tx: Tx, principal: Principal, subject: DuplicateSubject, keys: SubjectKeys) {
  const matches = contactMatches(tx, principal, subject, keys);
  if (!matches) return null;
  return tx
    .select({
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      email: contacts.email,
      phone: contacts.phone,
      company: companies.name,
      ownerId: contacts.ownerId,
      ...matches.compare.select,
    })
    .from(contacts)
    .leftJoin(companies, companyOfContact)
    .where(matches.where)
    .orderBy(desc(matches.compare.score), desc(contacts.id))
    .limit(MAX_DUPLICATES);
}

/**
 * How many rows of the subject's exact company, and of its exact name, leadCandidateCount looks through for a
 * crowd of duplicates before it asks the trigram indexes.
 */
export const PROBE_ROWS = 100;

/**
 * How many of the leads leadCandidates would list, counting no further than `atMost`, as one statement. A trigram
 * index answers `%` only as a bitmap of every row similar in name and company, built whole before any row is read:
 * 39 ms for 24,708 such rows at 500,000 leads, though the count stops at 20. A crowd of true duplicates is nearly
 * always at the very same company or of the very same name, so two probes go first, each through a btree over at
 * most PROBE_ROWS rows of that exact key; only when neither finds `atMost` likely duplicates is the trigram count
 * run (an InitPlan, which PostgreSQL evaluates only when the CASE reaches it). Either way the number is what the
 * list would hold, capped at `atMost`: a probe counts only true matches, and is taken only when it alone reaches
 * the cap.
 */
export function leadCandidateCount(
  principal: Principal,
  subject: DuplicateSubject,
  keys: SubjectKeys,
  atMost: number,
): SQL | null {
  const matches = leadMatches(principal, subject, keys);
  if (!matches) return null;
  const countAmong = (rows: SQL, where: SQL) =>
    sql`(SELECT count(*)::int FROM (SELECT 1 FROM ${rows} WHERE ${where} LIMIT ${atMost}) found)`;
  const everywhere = countAmong(sql`${leads}`, matches.where!);
  if (!keys.name || !keys.company) return sql`SELECT ${everywhere} AS n`;
  // The sample takes the table's name, so the conditions, written against "leads", read its rows.
  const sameKey = (column: SQL, value: string) =>
    countAmong(
      sql`(SELECT * FROM ${leads} WHERE ${leads.organizationId} = ${principal.organizationId} AND ${column} = ${value} LIMIT ${PROBE_ROWS}) AS ${leads}`,
      matches.counted,
    );
  const probes = sql`greatest(${sameKey(sql`${leads.company}`, keys.company)}, ${sameKey(keyOf(leads, 'name_key'), keys.name)})`;
  return sql`SELECT CASE WHEN probe.n >= ${atMost} THEN ${atMost} ELSE ${everywhere} END AS n FROM (SELECT ${probes} AS n) probe`;
}

/** As leadCandidateCount, among contacts. */
export function contactCandidateCount(
  tx: Tx,
  principal: Principal,
  subject: DuplicateSubject,
  keys: SubjectKeys,
  atMost: number,
) {
  const matches = contactMatches(tx, principal, subject, keys);
  if (!matches) return null;
  const found = tx
    .select({ one: sql`1`.as('one') })
    .from(contacts)
    .leftJoin(companies, companyOfContact)
    .where(matches.where)
    .limit(atMost);
  return sql`SELECT count(*)::int AS n FROM (${found}) found`;
}
