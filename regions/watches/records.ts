import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies, contacts, deals, leads, memberships, users } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';
import { can } from '../auth/permissions.ts';
import { visibleTo } from '../support/owner.ts';

/** The kinds of record a member can watch for changes (a saved view is watched for a digest instead). */
export const watchedRecordTypes = ['lead', 'contact', 'company', 'deal'] as const;
export type WatchedRecordType = (typeof watchedRecordTypes)[number];

export const isWatchedRecordType = (type: string): type is WatchedRecordType =>
  (watchedRecordTypes as readonly string[]).includes(type);

export const recordReadPermission: Record<WatchedRecordType, Permission> = {
  lead: 'leads:read',
  contact: 'contacts:read',
  company: 'companies:read',
  deal: 'deals:read',
};

export type WatchedRecord = { type: WatchedRecordType; id: string; ownerId: string | null; name: string };

const fullName = (first: string, last: string, email: string | null, fallback: string) =>
  `${first} ${last}`.trim() || email || fallback;

/** The record's owner (who may see it) and a name to tell a watcher about it; null when it does not exist. */
export async function findRecord(
  tx: Tx,
  organizationId: string,
  type: WatchedRecordType,
  id: string,
): Promise<WatchedRecord | null> {
  if (type === 'lead') {
    const [row] = await tx
      .select({ ownerId: leads.ownerId, first: leads.firstName, last: leads.lastName, email: leads.email })
      .from(leads)
      .where(and(eq(leads.organizationId, organizationId), eq(leads.id, id)));
    return row ? { type, id, ownerId: row.ownerId, name: fullName(row.first, row.last, row.email, 'A lead') } : null;
  }
  if (type === 'contact') {
    const [row] = await tx
      .select({ ownerId: contacts.ownerId, first: contacts.firstName, last: contacts.lastName, email: contacts.email })
      .from(contacts)
      .where(and(eq(contacts.organizationId, organizationId), eq(contacts.id, id)));
    return row ? { type, id, ownerId: row.ownerId, name: fullName(row.first, row.last, row.email, 'A contact') } : null;
  }
  const table = type === 'company' ? companies : deals;
  const [row] = await tx
    .select({ ownerId: table.ownerId, name: table.name })
    .from(table)
    .where(and(eq(table.organizationId, organizationId), eq(table.id, id)));
  return row ? { type, id, ownerId: row.ownerId, name: row.name } : null;
}

/**
 * A member as the records' access rules see them now: their current role, or null when they are no longer an
 * active member. Watches are checked against this at every notification, so a demoted or disabled member, or a
 * sales rep whose record went to someone else, stops hearing about what they may no longer see.
 */
export async function memberPrincipal(
  tx: Tx,
  organizationId: string,
  region: string,
  userId: string,
): Promise<Principal | null> {
  const [row] = await tx
    .select({ role: memberships.role, status: users.status })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.organizationId, users.organizationId), eq(memberships.userId, users.id)))
    .where(and(eq(users.organizationId, organizationId), eq(users.id, userId)));
  if (row?.status !== 'active') return null;
  return { type: 'user', organizationId, region, userId, role: row.role, sessionId: '' };
}

/** Whether the principal may read this record, by the record lists' own rules (companies are shared). */
export function maySee(principal: Principal, type: WatchedRecordType, ownerId: string | null): boolean {
  if (!can(principal, recordReadPermission[type])) return false;
  return type === 'company' || visibleTo(principal, ownerId);
}
