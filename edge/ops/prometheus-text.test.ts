import { describe, expect, it } from 'vitest';
import { EdgeMetrics } from './metrics.ts';
import { formatPrometheusText } from './prometheus-text.ts';
import { SlidingCounts } from './sliding-counts.ts';

describe('the Prometheus text formatter', () => {
  it('writes HELP, TYPE and samples, escaping what the format escapes', () => {
    const text = formatPrometheusText([
      {
        name: 'edge_things_total',
        help: 'Things\\counted\nacross lines',
        type: 'counter',
        samples: [{ labels: { kind: 'a"b\\c\nd', status: '200' }, value: 3 }, { value: 0.25 }],
      },
      {
        name: 'edge_odd',
        help: 'Odd values',
        type: 'gauge',
        samples: [{ value: Number.NaN }, { value: Number.POSITIVE_INFINITY }, { value: Number.NEGATIVE_INFINITY }],
      },
      { name: 'edge_empty', help: 'None yet', type: 'gauge', samples: [] },
    ]);
    expect(text).toBe(
      [
        '# HELP edge_things_total Things\\\\counted\\nacross lines',
        '# TYPE edge_things_total counter',
        'edge_things_total{kind="a\\"b\\\\c\\nd",status="200"} 3',
        'edge_things_total 0.25',
        '# HELP edge_odd Odd values',
        '# TYPE edge_odd gauge',
        'edge_odd NaN',
        'edge_odd +Inf',
        'edge_odd -Inf',
        '# HELP edge_empty None yet',
        '# TYPE edge_empty gauge',
        '',
      ].join('\n'),
    );
  });

  it('refuses names the format does not allow', () => {
    expect(() => formatPrometheusText([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow();
    expect(() =>
      formatPrometheusText([
        { name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'bad-label': 'x' }, value: 1 }] },
      ]),
    ).toThrow();
  });
});

describe('sliding counts', () => {
  it('sum what fell inside the window and forget the rest', () => {
    let now = 1_000_000;
    const counts = new SlidingCounts<'hit' | 'miss'>(60_000, 6, () => now);
    counts.add('hit');
    counts.add('hit', 2);
    counts.add('miss');
    expect([counts.sum('hit'), counts.sum('miss')]).toEqual([3, 1]);
    now += 30_000;
    counts.add('hit');
    expect(counts.sum('hit')).toBe(4);
    now += 45_000; // the first slot has left the window, the second has not
    expect(counts.sum('hit')).toBe(1);
    expect(counts.sum('miss')).toBe(0);
    now += 10 * 60_000;
    expect(counts.sum('hit')).toBe(0);
  });
});

describe('the edge metrics', () => {
  it('count requests by method and status, cache lookups by result, and the recent hit rate', () => {
    let now = 5_000_000;
    const metrics = new EdgeMetrics(() => now);
    expect(metrics.cacheHitRate()).toBeNull();
    metrics.countRequest('GET', 200);
    metrics.countRequest('GET', 200);
    metrics.countRequest('BREW', 418);
    for (const result of ['hit', 'hit', 'hit', 'miss', 'bypass'] as const) metrics.countCache(result);
    expect(metrics.cacheHitRate()).toBe(0.75);
    const text = metrics.render();
    expect(text).toContain('edge_http_requests_total{method="GET",status="200"} 2');
    expect(text).toContain('edge_http_requests_total{method="OTHER",status="418"} 1');
    expect(text).toContain('edge_cache_requests_total{result="hit"} 3');
    expect(text).toContain('edge_cache_requests_total{result="bypass"} 1');
    expect(text).toContain('cache_hit_rate 0.75');
    now += 6 * 60_000;
    // The totals stay; the rate only looks at the last five minutes.
    expect(metrics.cacheHitRate()).toBeNull();
    expect(metrics.render()).toContain('edge_cache_requests_total{result="hit"} 3');
    expect(metrics.render()).not.toMatch(/^cache_hit_rate /m);
  });
});
