import { and, desc, eq, notInArray, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies, contacts, leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';
import { fullName, normaliseEmail, normalisePhone } from './normalise.ts';
import { EMAIL_WEIGHT, MAX_DUPLICATES, NAME_WEIGHT, PHONE_WEIGHT, SIMILARITY_THRESHOLD } from './rank.ts';

/**
 * The SQL of duplicate detection, written so that PostgreSQL answers it through indexes (migration
 * 0007_duplicate_indexes) even under row-level security. RLS makes the planner apply the tenant policy before any
 * condition that is not LEAKPROOF, and only a superuser can mark a function so: `lower(email) = $1` or pg_trgm's
 * `name % $1` would filter every row of the organization rather than look anything up. So:
 * - email and phone compare the stored generated columns `email_key`/`phone_key` (normaliseEmail/normalisePhone in
 *   SQL) with plain text equality, which is leakproof, through btree indexes;
 * - similar names come from a GiST trigram index read nearest first (an ORDER BY distance is not held back by RLS),
 *   a batch at a time until the names stop being similar enough (see findDuplicates);
 * - the score, and the exact similarity test, are computed only over those candidates.
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

/** "First Last" as the trigram indexes hold it; must repeat the indexed expression exactly or no index is used. */
const nameOf = (table: typeof leads | typeof contacts) => sql`btrim(${table.firstName} || ' ' || ${table.lastName})`;

// The generated columns live only in the migration (like search_text), not in the drizzle schema.
const keyOf = (table: typeof leads | typeof contacts, column: 'email_key' | 'phone_key') =>
  sql`${table}.${sql.identifier(column)}`;

/** A uuid[] parameter as one array literal, whatever the driver makes of JS arrays. */
const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/**
 * The organization's `limit` leads or contacts whose names are nearest the given one (most similar first), with
 * their similarity: a walk of the GiST trigram index that stops after `limit` rows. Everyone in the organization,
 * whoever owns them: this only proposes candidates, which the candidate query then filters.
 */
export function nearestNames(tx: Tx, kind: DuplicateKind, organizationId: string, name: string, limit: number) {
  const table = kind === 'lead' ? leads : contacts;
  return tx
    .select({
      id: table.id,
      similarity: sql<number>`similarity(${nameOf(table)}, ${name})::float8`.mapWith(Number),
    })
    .from(table)
    .where(eq(table.organizationId, organizationId))
    .orderBy(sql`${nameOf(table)} <-> ${name}`)
    .limit(limit);
}

type Columns = { table: typeof leads | typeof contacts; company: SQLWrapper };

/**
 * One table's comparisons with the subject (each false/0 when the subject lacks the field); `candidates`, the
 * index-backed superset (same email key, same phone key, or one of the near names); `anyMatch`, which of them are
 * likely duplicates; and rankMatch's score in SQL so each table's best MAX_DUPLICATES can be cut there.
 */
function comparisons(keys: SubjectKeys, nearIds: string[], { table, company }: Columns) {
  const emailKey = keyOf(table, 'email_key');
  const phoneKey = keyOf(table, 'phone_key');
  const sameEmail = keys.email ? sql`coalesce(${emailKey} = ${keys.email}, false)` : sql`false`;
  const samePhone = keys.phone ? sql`coalesce(${phoneKey} = ${keys.phone}, false)` : sql`false`;
  const nameSimilarity = keys.name ? sql`similarity(${nameOf(table)}, ${keys.name})::float8` : sql`0::float8`;
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
    keys.name && nearIds.length ? sql`${table.id} = ANY(${uuidArray(nearIds)})` : undefined,
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
 * The subject's likely duplicates among the organization's leads (a sales rep's own only), best first, at most
 * MAX_DUPLICATES; `nearIds` are the leads whose names nearestNames found similar enough. Null when there is
 * nothing to look for.
 */
export function leadCandidates(
  tx: Tx,
  principal: Principal,
  subject: DuplicateSubject,
  keys: SubjectKeys,
  nearIds: string[],
) {
  const compare = comparisons(keys, nearIds, { table: leads, company: leads.company });
  if (!compare.candidates) return null;
  const own = ownRecordsOnly(principal);
  return tx
    .select({
      id: leads.id,
      firstName: leads.firstName,
      lastName: leads.lastName,
      email: leads.email,
      phone: leads.phone,
      company: leads.company,
      ownerId: leads.ownerId,
      ...compare.select,
    })
    .from(leads)
    .where(
      and(
        eq(leads.organizationId, principal.organizationId),
        own ? eq(leads.ownerId, own) : undefined,
        subject.excludeLeadIds.length ? notInArray(leads.id, subject.excludeLeadIds) : undefined,
        compare.candidates,
        compare.anyMatch,
      ),
    )
    .orderBy(desc(compare.score), desc(leads.id))
    .limit(MAX_DUPLICATES);
}

/** As leadCandidates, among contacts, whose company is the name of the company they belong to. */
export function contactCandidates(
  tx: Tx,
  principal: Principal,
  subject: DuplicateSubject,
  keys: SubjectKeys,
  nearIds: string[],
) {
  const compare = comparisons(keys, nearIds, { table: contacts, company: companies.name });
  if (!compare.candidates) return null;
  const own = ownRecordsOnly(principal);
  return tx
    .select({
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      email: contacts.email,
      phone: contacts.phone,
      company: companies.name,
      ownerId: contacts.ownerId,
      ...compare.select,
    })
    .from(contacts)
    .leftJoin(
      companies,
      and(eq(companies.organizationId, contacts.organizationId), eq(companies.id, contacts.companyId)),
    )
    .where(
      and(
        eq(contacts.organizationId, principal.organizationId),
        own ? eq(contacts.ownerId, own) : undefined,
        subject.excludeContactIds.length ? notInArray(contacts.id, subject.excludeContactIds) : undefined,
        compare.candidates,
        compare.anyMatch,
      ),
    )
    .orderBy(desc(compare.score), desc(contacts.id))
    .limit(MAX_DUPLICATES);
}
