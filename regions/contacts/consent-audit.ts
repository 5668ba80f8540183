import type { Tx } from '../../db/database.ts';
import type { Actor } from '../support/actor.ts';
import { type ChangeRecord, recordChange } from '../support/record.ts';
import type { ConsentChange } from './consent.ts';

/** The audit entry of a change of marketing consent, with its source: the evidence a regulator asks for. */
export function consentAuditEntry(
  contactId: string,
  change: ConsentChange,
): Omit<ChangeRecord, 'organizationId' | 'actor'> {
  return {
    action: change.given ? 'contact.consent_given' : 'contact.consent_withdrawn',
    target: { type: 'contact', id: contactId },
    changes: {
      marketingEmailConsent: [!change.given, change.given],
      consentSource: change.source,
      at: change.at.toISOString(),
    },
  };
}

/** Every change of marketing consent gets its own audit row with its source. */
export async function auditConsent(tx: Tx, actor: Actor, contactId: string, change: ConsentChange | null) {
  if (!change) return;
  await recordChange(tx, {
    organizationId: actor.principal.organizationId,
    actor,
    ...consentAuditEntry(contactId, change),
  });
}
