import type { Connection } from '../database.ts';

/**
 * Opens a database from its URL: `pglite:<folder>` or `pglite:memory:` (embedded), `postgres://…` (pg),
 * `neon:postgres://…` (Neon's serverless driver).
 */
export async function openConnection(id: string, url: string, poolSize?: number): Promise<Connection> {
  if (url.startsWith('pglite:')) {
    const { openPglite } = await import('./pglite.ts');
    return openPglite(id, url.slice('pglite:'.length));
  }
  if (url.startsWith('neon:')) {
    const { openNeon } = await import('./neon.ts');
    return openNeon(id, url.slice('neon:'.length), poolSize, process.env.NEON_WS_PROXY || undefined);
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPg } = await import('./pg.ts');
    return openPg(id, url, poolSize);
  }
  throw new Error(`${id}: unsupported database URL "${url.replace(/:[^:@/]*@/, ':***@')}"`);
}
