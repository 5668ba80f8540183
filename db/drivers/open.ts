import type { Connection } from '../database.ts';
import type { QueryObserver } from '../query-timing.ts';

/**
 * Opens a database from its URL: `pglite:<folder>` or `pglite:memory:` (embedded), `postgres://…` (pg),
 * `neon:postgres://…` (Neon's serverless driver). `observe`, when given, hears every query's kind and duration.
 */
export async function openConnection(
  id: string,
  url: string,
  poolSize?: number,
  observe?: QueryObserver,
): Promise<Connection> {
  if (url.startsWith('pglite:')) {
    const { openPglite } = await import('./pglite.ts');
    return openPglite(id, url.slice('pglite:'.length), observe);
  }
  if (url.startsWith('neon:')) {
    const { openNeon } = await import('./neon.ts');
    return openNeon(id, url.slice('neon:'.length), poolSize, process.env.NEON_WS_PROXY || undefined, observe);
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPg } = await import('./pg.ts');
    return openPg(id, url, poolSize, observe);
  }
  throw new Error(`${id}: unsupported database URL "${url.replace(/:[^:@/]*@/, ':***@')}"`);
}
