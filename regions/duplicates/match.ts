import { and, desc, eq, notInArray, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies, contacts, leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { can, ownRecordsOnly } from '../auth/permissions.ts';
import { fullName, normaliseEmail, normalisePhone } from './normalise.ts';
import {
  bestFirst,
  type DuplicateReason,
  EMAIL_WEIGHT,
  MAX_DUPLICATES,
  NAME_WEIGHT,
  PHONE_WEIGHT,
  rankMatch,
  SIMILARITY_THRESHOLD,
} from './rank.ts';

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

export type DuplicateCandidate = {
  type: 'lead' | 'contact';
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  ownerId: string | null;
  score: number;
  reasons: DuplicateReason[];
};

type Columns = {
  firstName: SQLWrapper;
  lastName: SQLWrapper;
  email: SQLWrapper;
  phone: SQLWrapper;
  company: SQLWrapper;
};

// The SQL twins of normaliseEmail/normalisePhone, so stored rows compare exactly as the subject does.
const emailOf = (column: SQLWrapper) => sql`lower(btrim(${column}))`;
const phoneOf = (column: SQLWrapper) =>
  sql`(CASE WHEN ${column} ~ '^\\s*\\+' THEN '+' ELSE '' END || regexp_replace(${column}, '[^0-9]', '', 'g'))`;

/**
 * One table's comparisons with the subject (each false/0 when the subject lacks the field), the filter that keeps
 * only likely duplicates, and rankMatch's score in SQL so each table's best MAX_DUPLICATES can be cut there.
 */
function comparisons(subject: DuplicateSubject, columns: Columns) {
  const email = normaliseEmail(subject.email);
  const phone = normalisePhone(subject.phone);
  const name = fullName(subject.firstName, subject.lastName);
  const company = subject.company?.trim() || null;
  const comparable = name !== '' && company !== null;
  const sameEmail = email ? sql`coalesce(${emailOf(columns.email)} = ${email}, false)` : sql`false`;
  const samePhone = phone ? sql`coalesce(${phoneOf(columns.phone)} = ${phone}, false)` : sql`false`;
  const nameSimilarity = comparable
    ? sql`similarity(btrim(${columns.firstName} || ' ' || ${columns.lastName}), ${name})::float8`
    : sql`0::float8`;
  const companySimilarity = comparable
    ? sql`coalesce(similarity(${columns.company}, ${company}), 0)::float8`
    : sql`0::float8`;
  const similar = sql`(${nameSimilarity} >= ${SIMILARITY_THRESHOLD} AND ${companySimilarity} >= ${SIMILARITY_THRESHOLD})`;
  const chance = (matched: SQL, weight: SQL) => sql`(1 - CASE WHEN ${matched} THEN ${weight} ELSE 0 END)`;
  const score = sql`round(100 * (1 - ${chance(sameEmail, sql`${EMAIL_WEIGHT}::float8`)} * ${chance(
    samePhone,
    sql`${PHONE_WEIGHT}::float8`,
  )} * ${chance(similar, sql`${NAME_WEIGHT}::float8 * (${nameSimilarity} + ${companySimilarity}) / 2`)}))`;
  return {
    select: {
      sameEmail: sql<boolean>`${sameEmail}`.mapWith(Boolean),
      samePhone: sql<boolean>`${samePhone}`.mapWith(Boolean),
      nameSimilarity: sql<number>`${nameSimilarity}`.mapWith(Number),
      companySimilarity: sql<number>`${companySimilarity}`.mapWith(Number),
    },
    anyMatch: or(sameEmail, samePhone, similar)!,
    score,
    worthAsking: Boolean(email || phone || comparable),
  };
}

async function leadCandidates(tx: Tx, principal: Principal, subject: DuplicateSubject) {
  const compare = comparisons(subject, leads);
  if (!compare.worthAsking) return [];
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
        compare.anyMatch,
      ),
    )
    .orderBy(desc(compare.score), desc(leads.id))
    .limit(MAX_DUPLICATES);
}

async function contactCandidates(tx: Tx, principal: Principal, subject: DuplicateSubject) {
  const compare = comparisons(subject, {
    firstName: contacts.firstName,
    lastName: contacts.lastName,
    email: contacts.email,
    phone: contacts.phone,
    company: companies.name,
  });
  if (!compare.worthAsking) return [];
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
        compare.anyMatch,
      ),
    )
    .orderBy(desc(compare.score), desc(contacts.id))
    .limit(MAX_DUPLICATES);
}

/**
 * The likely duplicates of a record among the leads and contacts the caller may see (a sales rep only their own;
 * a credential that cannot read one kind is shown none of it), best first, at most MAX_DUPLICATES.
 */
export async function findDuplicates(
  tx: Tx,
  principal: Principal,
  subject: DuplicateSubject,
): Promise<DuplicateCandidate[]> {
  const leadRows = can(principal, 'leads:read') ? await leadCandidates(tx, principal, subject) : [];
  const contactRows = can(principal, 'contacts:read') ? await contactCandidates(tx, principal, subject) : [];
  const candidates: DuplicateCandidate[] = [];
  const collect = (type: DuplicateCandidate['type'], rows: typeof leadRows) => {
    for (const { sameEmail, samePhone, nameSimilarity, companySimilarity, ...record } of rows) {
      const ranked = rankMatch({ sameEmail, samePhone, nameSimilarity, companySimilarity });
      if (ranked) candidates.push({ type, ...record, ...ranked });
    }
  };
  collect('lead', leadRows);
  collect('contact', contactRows);
  return bestFirst(candidates);
}
