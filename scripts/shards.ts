/**
 * Shard operations for one region (docs/operations.md, "Moving buckets between shards"):
 *
 *   npm run shards -- status                          map version, buckets per shard, moves in flight
 *   npm run shards -- move --buckets 3,4 --to us-1    moves the buckets (all on one shard now) online
 *   npm run shards -- resume [--id <move>]            carries a stopped move on from the state it recorded
 *   npm run shards -- abandon --id <move>             gives up a move that has not switched yet
 *
 * The region is `REGION` and its shards `SHARD_URLS`, as the region itself reads them (the first shard holds the
 * map and the moves); without `SHARD_URLS`, the region's PGlite folders, which only one process can open.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { desc, eq } from 'drizzle-orm';
import { abandonMove, type MoveContext, MoveRefused, movesInFlight, planMove, runMove } from '../db/moves/move.ts';
import { shardMoves } from '../db/schema/index.ts';
import { ShardSet } from '../db/shard-set.ts';

type Env = NodeJS.ProcessEnv;
type Out = (line: string) => void;

const USAGE =
  'usage: npm run shards -- status | move --buckets 3,4 --to us-1 | resume [--id <move>] | abandon --id <move>';

function shardUrlsOf(env: Env, region: string): string[] {
  const dataDir = env.DATA_DIR ?? 'data';
  return (env.SHARD_URLS ?? `pglite:${join(dataDir, region, 'shard-0')},pglite:${join(dataDir, region, 'shard-1')}`)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Bucket numbers as ranges: 0-127,200. */
export function ranges(buckets: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < buckets.length; i++) {
    let j = i;
    while (j + 1 < buckets.length && buckets[j + 1] === buckets[j]! + 1) j++;
    parts.push(i === j ? `${buckets[i]}` : `${buckets[i]}-${buckets[j]}`);
    i = j;
  }
  return parts.join(',') || '-';
}

async function status(ctx: MoveContext, shards: ShardSet, out: Out): Promise<void> {
  const map = await shards.reloadMap();
  out(`region ${ctx.region}: shard map v${map.version}`);
  for (const [index, id] of map.shardIds.entries()) {
    const mine = map.buckets.flatMap((s, b) => (s === index ? [b] : []));
    out(`  ${id}: ${mine.length} buckets (${ranges(mine)})`);
  }
  for (const shard of shards.all()) {
    if (!map.shardIds.includes(shard.id)) out(`  ${shard.id}: 0 buckets (configured, not in the map yet)`);
  }
  const inFlight = await movesInFlight(ctx);
  out(inFlight.length ? 'moves in flight:' : 'no moves in flight');
  for (const m of inFlight) {
    out(
      `  ${m.id} buckets ${ranges(m.buckets)} ${m.fromShard} -> ${m.toShard}: ${m.state}` +
        (m.lastError ? ` (stopped: ${m.lastError})` : ''),
    );
  }
  const recent = await ctx.shards[0]!.db.select()
    .from(shardMoves)
    .where(eq(shardMoves.region, ctx.region))
    .orderBy(desc(shardMoves.updatedAt))
    .limit(5);
  const finished = recent.filter((m) => m.state === 'cleaned' || m.state === 'failed');
  if (finished.length) out('recent moves:');
  for (const m of finished) {
    out(
      `  ${m.id} buckets ${ranges(m.buckets)} ${m.fromShard} -> ${m.toShard}: ${m.state} (map v${m.mapVersion ?? '-'})`,
    );
  }
}

function bucketsOf(value: string | undefined): number[] {
  if (!value) throw new MoveRefused('--buckets is required, e.g. --buckets 3,4 or --buckets 0-15');
  return value.split(',').flatMap((part) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new MoveRefused(`not a bucket or range: ${part}`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new MoveRefused(`empty range: ${part}`);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

export async function runShards(argv: string[], env: Env, out: Out): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { buckets: { type: 'string' }, to: { type: 'string' }, id: { type: 'string' } },
  });
  const command = positionals[0];
  if (!['status', 'move', 'resume', 'abandon'].includes(command ?? '')) {
    out(USAGE);
    return 2;
  }
  const region = env.REGION ?? 'us';
  const urls = shardUrlsOf(env, region);
  const shards = await ShardSet.open(
    region,
    urls.map((url, i) => ({ id: `${region}-${i}`, url })),
    4,
  );
  const ctx: MoveContext = { region, shards: shards.all(), log: out };
  try {
    if (command === 'status') {
      await status(ctx, shards, out);
      return 0;
    }
    if (command === 'move') {
      if (!values.to) throw new MoveRefused('--to is required, e.g. --to us-1');
      const move = await planMove(ctx, bucketsOf(values.buckets), values.to);
      out(`move ${move.id}: buckets ${ranges(move.buckets)} ${move.fromShard} -> ${move.toShard}`);
      await runMove(ctx, move);
      return 0;
    }
    const inFlight = await movesInFlight(ctx);
    const move = values.id ? inFlight.find((m) => m.id === values.id) : inFlight[0];
    if (!move) throw new MoveRefused(values.id ? `no move ${values.id} in flight` : 'no move in flight');
    if (command === 'resume') await runMove(ctx, move);
    else await abandonMove(ctx, move);
    return 0;
  } finally {
    await shards.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runShards(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof MoveRefused || error instanceof TypeError ? error.message : error);
      process.exit(1);
    },
  );
}
