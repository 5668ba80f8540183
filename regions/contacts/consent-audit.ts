import type { Tx } from '../../db/database.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import type { ConsentChange } from './consent.ts';

/** Every change of marketing consent gets its own audit row with its source: the evidence a regulator asks for. */
export async function auditConsent(tx: Tx, actor: Actor, contactId: string, change: ConsentChange | null) {
  if (!change) return;
  await recordChange(tx, {
    organizationId: actor.principal.organizationId,
    actor,
    action: change.given ? 'contact.consent_given' : 'contact.consent_withdrawn',
    target: { type: 'contact', id: contactId },
    changes: {
      marketingEmailConsent: [!change.given, change.given],
      consentSource: change.source,
      at: change.at.toISOString(),
    },
  });
}
