import type { Principal } from '../../edge/protocol/principal.ts';

/**
 * What an import keeps in its `options` column: the user's choices, and (for want of columns of their own) the
 * file's header row and who started it, whom the background run's audit rows name. While a run holds the import,
 * its token is there too (`runToken`, lease.ts); readOptions leaves it out, so no view or audit row shows it.
 */
export type ImportOptions = {
  onDuplicate: 'skip' | 'update';
  headers: string[];
  startedBy?: { type: 'user' | 'api_key'; id: string };
};

export const readOptions = (options: Record<string, unknown>): ImportOptions => ({
  onDuplicate: options.onDuplicate === 'update' ? 'update' : 'skip',
  headers: Array.isArray(options.headers) ? (options.headers as string[]) : [],
  ...(options.startedBy ? { startedBy: options.startedBy as ImportOptions['startedBy'] } : {}),
});

export const starterOf = (principal: Principal): NonNullable<ImportOptions['startedBy']> =>
  principal.type === 'user' ? { type: 'user', id: principal.userId } : { type: 'api_key', id: principal.keyId };
