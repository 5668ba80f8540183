import type { Connection } from './database.ts';

export type ShardAnswer<T> = { shardId: string } & ({ ok: true; value: T } | { ok: false; error: string });

/**
 * Asks every shard the same question at once and gathers the answers; a shard that fails or is slower than
 * `timeoutMs` is reported as such instead of failing the whole read.
 */
export async function scatterGather<T>(
  shards: Connection[],
  ask: (shard: Connection) => Promise<T>,
  timeoutMs = 5_000,
): Promise<ShardAnswer<T>[]> {
  return Promise.all(
    shards.map(async (shard): Promise<ShardAnswer<T>> => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        return { shardId: shard.id, ok: true, value: await Promise.race([ask(shard), timeout]) };
      } catch (error) {
        return { shardId: shard.id, ok: false, error: error instanceof Error ? error.message : String(error) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}
