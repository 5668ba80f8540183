import { formatPrometheusText, type MetricFamily } from './prometheus-text.ts';
import { SlidingCounts } from './sliding-counts.ts';

/** How far back `cache_hit_rate` looks. */
export const CACHE_HIT_WINDOW_MS = 5 * 60_000;

export type CacheResult = 'hit' | 'miss' | 'bypass';

/**
 * The edge's own counters, held in memory by each edge process (on Workers, each isolate: Prometheus sums what it
 * scrapes, and an isolate's counters start again when it is recycled, which `rate()` absorbs as a counter reset).
 *
 * The read cache: a lookup is a `hit` (answered from the cache), a `miss` (forwarded, and kept if it could be) or a
 * `bypass` (forwarded, and its answer could not be kept: a CSV report, a body too large); the hit rate is
 * hits ÷ (hits + misses), bypasses left out, since nothing could have made them hits.
 */
export class EdgeMetrics {
  private readonly requests = new Map<string, number>();
  private readonly cacheTotals: Record<CacheResult, number> = { hit: 0, miss: 0, bypass: 0 };
  private readonly recentCache: SlidingCounts<CacheResult>;

  constructor(now: () => number = Date.now) {
    this.recentCache = new SlidingCounts(CACHE_HIT_WINDOW_MS, 10, now);
  }

  countRequest(method: string, status: number): void {
    // Only the methods the API serves name a series; anything else is one `OTHER`, so a client cannot grow the set.
    const knownMethod = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(method) ? method : 'OTHER';
    const key = `${knownMethod} ${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  countCache(result: CacheResult): void {
    this.cacheTotals[result] += 1;
    this.recentCache.add(result);
  }

  /** Hits ÷ (hits + misses) over the last five minutes; null when there was no lookup to count. */
  cacheHitRate(): number | null {
    const hits = this.recentCache.sum('hit');
    const lookups = hits + this.recentCache.sum('miss');
    return lookups === 0 ? null : hits / lookups;
  }

  families(): MetricFamily[] {
    const hitRate = this.cacheHitRate();
    return [
      {
        name: 'edge_http_requests_total',
        help: 'Requests the edge answered, by method and status',
        type: 'counter',
        samples: [...this.requests].map(([key, value]) => {
          const [method, status] = key.split(' ') as [string, string];
          return { labels: { method, status }, value };
        }),
      },
      {
        name: 'edge_cache_requests_total',
        help: 'Read-cache lookups by result: hit (answered from the cache), miss (forwarded), bypass (not cacheable)',
        type: 'counter',
        samples: (['hit', 'miss', 'bypass'] as const).map((result) => ({
          labels: { result },
          value: this.cacheTotals[result],
        })),
      },
      {
        name: 'cache_hit_rate',
        help: 'Read-cache hits / (hits + misses) over the last 5 minutes in this edge process (absent with no lookups)',
        type: 'gauge',
        samples: hitRate === null ? [] : [{ value: hitRate }],
      },
    ];
  }

  render(): string {
    return formatPrometheusText(this.families());
  }
}
