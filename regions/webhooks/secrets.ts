import { isSealed, type SecretBox } from '../support/secret-box.ts';

/** Bound into the seal, so a subscription's sealed secret copied onto another subscription does not open. */
export const webhookSecretContext = (subscriptionId: string) => `webhook:${subscriptionId}`;

/** A subscription's signing secret as it is stored: sealed with the current secrets key. */
export const sealWebhookSecret = (box: SecretBox, subscriptionId: string, secret: string) =>
  box.seal(secret, webhookSecretContext(subscriptionId));

/** The signing secret of a stored subscription; a row written before secrets were sealed holds it plain. */
export async function openWebhookSecret(box: SecretBox, subscriptionId: string, stored: string): Promise<string> {
  return isSealed(stored) ? box.open(stored, webhookSecretContext(subscriptionId)) : stored;
}
