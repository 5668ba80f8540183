/** Latency figures of one measured case, in milliseconds, and how many operations a second it sustained. */
export type LatencySummary = { n: number; p50: number; p95: number; p99: number; mean: number; perSecond: number };

/** The value below which `p` percent of the sorted samples fall (nearest rank, as load tools report it). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Percentiles of samples taken one after another; `wallMs` is the time they took together. */
export function summarize(samplesMs: readonly number[], wallMs?: number): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const total = sorted.reduce((sum, x) => sum + x, 0);
  const wall = wallMs ?? total;
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.length ? total / sorted.length : Number.NaN,
    perSecond: wall > 0 ? (sorted.length * 1000) / wall : Number.NaN,
  };
}

export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * Runs `operation` `warmup` times unmeasured (plans cached, pools filled, JIT warm), then `count` times one after
 * another, timing each: latency as a caller that waits for every answer sees it.
 */
export async function measure(count: number, operation: () => Promise<unknown>, warmup = 3): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await operation();
  const samples: number[] = [];
  const started = nowMs();
  for (let i = 0; i < count; i++) {
    const t0 = nowMs();
    await operation();
    samples.push(nowMs() - t0);
  }
  return summarize(samples, nowMs() - started);
}
