import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A subscription's signing secret: `whsec_` and 32 random bytes in hex. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('hex')}`;

/**
 * `Webhook-Signature: v1=<hex>`, the HMAC-SHA256 with the subscription's secret of `<timestamp>.<body>`, where the
 * timestamp is the `Webhook-Timestamp` header (Unix seconds) and the body the exact bytes POSTed. Signing the
 * timestamp lets a receiver refuse old (replayed) requests. docs/webhooks.md shows how to verify it.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's check, as documented: the signature matches and the timestamp is within `toleranceSeconds`. */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  options: { now?: number; toleranceSeconds?: number } = {},
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || !headers.signature) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  return headers.signature.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
