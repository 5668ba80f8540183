import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { type EmailKind, emailSuppressions, type SuppressionReason } from '../../db/schema/index.ts';

/**
 * Which suppressions stop which email. A bounce or a complaint stops everything to the address; an unsubscribe
 * withdraws marketing consent, so it stops bulk email only: a one-off email a member writes to a contact, or a
 * notification, is not marketing.
 */
export function blockingReasons(kind: EmailKind): SuppressionReason[] {
  return kind === 'bulk' ? ['bounced', 'complained', 'unsubscribed'] : ['bounced', 'complained'];
}

export const normaliseAddress = (address: string) => address.trim().toLowerCase();

/** The addresses of the list that must not get this kind of email, with the first reason found for each. */
export async function suppressedAmong(
  tx: Tx,
  organizationId: string,
  addresses: readonly string[],
  kind: EmailKind,
): Promise<Map<string, SuppressionReason>> {
  const wanted = [...new Set(addresses.map(normaliseAddress))];
  const found = new Map<string, SuppressionReason>();
  if (wanted.length === 0) return found;
  const rows = await tx
    .select({ address: emailSuppressions.address, reason: emailSuppressions.reason })
    .from(emailSuppressions)
    .where(
      and(
        eq(emailSuppressions.organizationId, organizationId),
        inArray(emailSuppressions.address, wanted),
        inArray(emailSuppressions.reason, blockingReasons(kind)),
      ),
    );
  for (const row of rows) if (!found.has(row.address)) found.set(row.address, row.reason);
  return found;
}

export async function suppressionOf(tx: Tx, organizationId: string, address: string, kind: EmailKind) {
  return (await suppressedAmong(tx, organizationId, [address], kind)).get(normaliseAddress(address)) ?? null;
}

/** Adds the address to the list for this reason; false when it was already there for it. */
export async function suppress(
  tx: Tx,
  entry: { organizationId: string; address: string; reason: SuppressionReason; detail?: string | null },
  createdBy: string | null = null,
): Promise<boolean> {
  const inserted = await tx
    .insert(emailSuppressions)
    .values({
      organizationId: entry.organizationId,
      address: normaliseAddress(entry.address),
      reason: entry.reason,
      detail: entry.detail?.slice(0, 500) ?? null,
      createdBy,
    })
    .onConflictDoNothing()
    .returning({ address: emailSuppressions.address });
  return inserted.length > 0;
}
