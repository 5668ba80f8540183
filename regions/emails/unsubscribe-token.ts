import { decodeJson, encodeJson, fromBase64Url, toBase64Url, utf8 } from '../../edge/protocol/encoding.ts';

/**
 * The token of a campaign email's unsubscribe link: `uns_<region>_<payload>.<signature>`. The region prefix lets
 * the edge route it without credentials (as it routes refresh tokens); the payload names the organization, the
 * address and the contact; the signature is an HMAC-SHA-256 with the region's shared secret over a label of its
 * own, so it can never pass for (or be made from) a request signature. It does not expire: a link in an old email
 * must keep working.
 */
export type UnsubscribeClaims = { organizationId: string; address: string; contactId: string | null };

const LABEL = 'crm-unsubscribe-v1';
const pattern = /^uns_([a-z][a-z0-9-]{1,15})_([A-Za-z0-9_-]{10,1500})\.([A-Za-z0-9_-]{40,50})$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const signed = (region: string, payload: string) => utf8.encode(`${LABEL}\n${region}\n${payload}`);

export async function makeUnsubscribeToken(key: CryptoKey, region: string, claims: UnsubscribeClaims): Promise<string> {
  const payload = encodeJson({ v: 1, o: claims.organizationId, a: claims.address, c: claims.contactId });
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, signed(region, payload)));
  return `uns_${region}_${payload}.${toBase64Url(mac)}`;
}

/** The claims of a token this region signed; null for anything else (malformed, tampered, another region's). */
export async function readUnsubscribeToken(
  key: CryptoKey,
  region: string,
  token: string,
): Promise<UnsubscribeClaims | null> {
  const match = pattern.exec(token);
  if (!match || match[1] !== region) return null;
  const [, , payload, signature] = match as unknown as [string, string, string, string];
  let mac: Uint8Array;
  try {
    mac = fromBase64Url(signature);
  } catch {
    return null;
  }
  const valid = await crypto.subtle.verify('HMAC', key, mac as Uint8Array<ArrayBuffer>, signed(region, payload));
  if (!valid) return null;
  try {
    const claims = decodeJson<{ v?: unknown; o?: unknown; a?: unknown; c?: unknown }>(payload);
    if (claims.v !== 1 || typeof claims.o !== 'string' || !uuid.test(claims.o)) return null;
    if (typeof claims.a !== 'string' || !claims.a.includes('@')) return null;
    const contactId = typeof claims.c === 'string' && uuid.test(claims.c) ? claims.c : null;
    return { organizationId: claims.o, address: claims.a, contactId };
  } catch {
    return null;
  }
}

/** `ada@analytical.example` → `a***@analytical.example`: enough for the person to recognise, not to harvest. */
export function maskAddress(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
