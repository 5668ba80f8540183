/**
 * A company's domain as it is stored and compared: the bare host of whatever a user pasted
 * ("https://www.Acme.com:443/about" → "acme.com"), or null when it is not a host name at all.
 *
 * Free of imports on purpose: the contract (openapi/schemas/companies.ts) runs it at the edge as well as in the
 * region, so "Acme.com" and "https://acme.com/" are one and the same value everywhere, idempotency hashes included.
 */
export function normaliseDomain(input: string): string | null {
  let host = input.trim().toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
  host = host.split(/[/?#]/, 1)[0] ?? '';
  // An email address or credentials in a URL are not a company's host; guessing which part was meant would be wrong.
  if (host.includes('@')) return null;
  const port = /:(\d{1,5})$/.exec(host);
  if (port) {
    if (Number(port[1]) > 65535) return null;
    host = host.slice(0, port.index);
  }
  host = host.replace(/\.$/, '');
  // The URL parser would silently drop control characters; a pasted value carrying them is not a clean host.
  if (/[\s\p{Cc}]/u.test(host)) return null;
  if (/[^ -~]/.test(host)) host = toAscii(host) ?? '';
  // "www.com" is a host of its own; only a www. label in front of a registrable domain is noise.
  if (host.startsWith('www.') && host.indexOf('.', 4) !== -1) host = host.slice(4);
  return isHostName(host) ? host : null;
}

const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** At least two labels of letters, digits and inner hyphens, with an alphabetic top level (so no IP addresses). */
function isHostName(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.split('.');
  const top = labels[labels.length - 1]!;
  return labels.length >= 2 && labels.every((l) => label.test(l)) && /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(top);
}

/** Internationalised names in their ASCII (punycode) form, as DNS knows them: bücher.de → xn--bcher-kva.de. */
function toAscii(host: string): string | null {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}
