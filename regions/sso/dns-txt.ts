import { Resolver } from 'node:dns/promises';

/** How long one DNS server may take to answer before a verification says it could not ask. */
const DNS_TIMEOUT_MS = 3000;

/**
 * The DNS servers TXT records are read from: `SSO_DNS_SERVERS` (comma-separated `address` or `address:port`, read at
 * each use like PUBLIC_BASE_URL), else the system's. Set it to a resolver that does not cache long, so a record an
 * admin has just published is seen.
 */
export function ssoDnsServers(): string[] | null {
  const list = (process.env.SSO_DNS_SERVERS ?? '')
    .split(',')
    .map((server) => server.trim())
    .filter(Boolean);
  return list.length > 0 ? list : null;
}

/**
 * What DNS says of a name's TXT records: each record's strings joined (RFC 7208 §3.3: a record longer than 255
 * octets is published as several strings), `none` when the name or its TXT records do not exist, `unanswered` when
 * no server answered in time or one answered with a failure: the admin may try again, and nothing hangs.
 */
export type TxtAnswer =
  | { kind: 'records'; records: string[] }
  | { kind: 'none' }
  | { kind: 'unanswered'; code: string };

const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA']);

export async function lookupTxt(name: string, servers = ssoDnsServers()): Promise<TxtAnswer> {
  const resolver = new Resolver({ timeout: DNS_TIMEOUT_MS, tries: 1 });
  if (servers) resolver.setServers(servers);
  try {
    const records = (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
    return { kind: 'records', records };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
    return NO_RECORD.has(code) ? { kind: 'none' } : { kind: 'unanswered', code };
  }
}
