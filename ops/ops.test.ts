import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiClient } from '../test/support/api.ts';
import { privateShards } from '../test/support/databases.ts';
import { startTestStack, type TestStack } from '../test/support/stack.ts';

const run = promisify(execFile);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const PROMTOOL = '/usr/bin/promtool';
// CI installs Debian's prometheus package (.ci/run); elsewhere the promtool checks run when it is there.
const hasPromtool = existsSync(PROMTOOL);

/** The one family the dashboards and alerts read that we do not export: node_exporter's filesystem figures. */
const NODE_EXPORTER_METRICS = ['node_filesystem_avail_bytes', 'node_filesystem_size_bytes'];

const PROMQL_WORDS = new Set(
  [
    'sum',
    'min',
    'max',
    'avg',
    'count',
    'stddev',
    'stdvar',
    'topk',
    'bottomk',
    'quantile',
    'group',
    'by',
    'without',
    'on',
    'ignoring',
    'group_left',
    'group_right',
    'and',
    'or',
    'unless',
    'bool',
    'offset',
    'inf',
    'nan',
  ].map((w) => w.toLowerCase()),
);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords or label names. */
function metricNamesOf(expression: string): string[] {
  const text = expression
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const before = text[match.index - 1] ?? ' ';
    if (/[0-9.]/.test(before)) continue; // the exponent of a number, 1e3
    if (
      text
        .slice(match.index + match[0].length)
        .trimStart()
        .startsWith('(')
    )
      continue; // a function
    if (PROMQL_WORDS.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names];
}

/** The value of the first sample of `name` whose labels include `labels`, or NaN. */
function sampleValue(exposition: string, name: string, labels: Record<string, string> = {}): number {
  for (const [, sampleName, labelText, value] of exposition.matchAll(/^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/gm)) {
    if (sampleName !== name) continue;
    const have = Object.fromEntries([...(labelText ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, wanted]) => have[key] === wanted)) return Number(value);
  }
  return Number.NaN;
}

/** Every sample name an exposition can hold, from its TYPE lines (a histogram's _bucket, _sum and _count too). */
function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name! + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name! + suffix);
  }
  return names;
}

type Panel = { title?: string; targets?: { expr?: string }[]; panels?: Panel[] };
type Dashboard = { uid: string; title: string; panels: Panel[]; templating?: { list: { query?: unknown }[] } };

const dashboards = ['business', 'sre', 'database'].map(
  (name) => [name, JSON.parse(readFileSync(here(`grafana/${name}.json`), 'utf8')) as Dashboard] as const,
);

function expressionsOf(dashboard: Dashboard): string[] {
  const panels = (list: Panel[]): Panel[] => list.flatMap((p) => [p, ...panels(p.panels ?? [])]);
  const targets = panels(dashboard.panels).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));
  const variables = (dashboard.templating?.list ?? []).map((v) =>
    typeof v.query === 'object' && v.query ? String((v.query as { query?: string }).query ?? '') : '',
  );
  // label_values(metric, label) names a metric as its first argument.
  const fromVariables = variables.flatMap((q) => [...(/label_values\(\s*([a-zA-Z_:][\w:]*)/.exec(q)?.slice(1) ?? [])]);
  return [...targets.filter(Boolean), ...fromVariables];
}

const alertExpressions = (): { alert: string; expr: string }[] =>
  (
    parse(readFileSync(here('prometheus/alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    }
  ).groups.flatMap((g) => g.rules);

describe.skipIf(!hasPromtool && !process.env.CI)('promtool', () => {
  it('accepts the scrape configuration and the rules', async () => {
    const config = await run(PROMTOOL, ['check', 'config', here('prometheus/prometheus.yml')]);
    expect(config.stdout).toContain('SUCCESS');
    const rules = await run(PROMTOOL, ['check', 'rules', here('prometheus/alerts.yml')]);
    expect(rules.stdout).toContain('SUCCESS: 6 rules found');
  });

  it('fires each alert on its sample series, and only there', async () => {
    const tested = await run(PROMTOOL, ['test', 'rules', here('prometheus/alerts.test.yml')]);
    expect(tested.stdout).toContain('SUCCESS');
    const testFile = readFileSync(here('prometheus/alerts.test.yml'), 'utf8');
    for (const { alert } of alertExpressions()) expect(testFile).toContain(`alertname: ${alert}`);
  });
});

describe('the spec’s alerts', () => {
  it('are all there, critical and warning as the spec ranks them', () => {
    const rules = parse(readFileSync(here('prometheus/alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; labels: { severity: string } }[] }[];
    };
    const severities = Object.fromEntries(
      rules.groups.flatMap((g) => g.rules.map((r) => [r.alert, r.labels.severity])),
    );
    expect(severities).toEqual({
      ApiErrorRateHigh: 'critical',
      DatabaseDown: 'critical',
      EventLagHigh: 'critical',
      ApiLatencyP95High: 'warning',
      CacheHitRateLow: 'warning',
      DiskUsageHigh: 'warning',
    });
  });
});

describe('the metric-name reader', () => {
  it('finds metrics, not functions, keywords, labels or variables', () => {
    expect(
      metricNamesOf(
        'histogram_quantile(0.95, sum by (region, le) (rate(foo_bucket{route=~"/api/.*", x!="a{b}"}[5m]))) > 0.5 and on (region) bar_total offset 1h / $__range',
      ).sort(),
    ).toEqual(['bar_total', 'foo_bucket']);
  });
});

describe('the dashboards and alerts against what the services export', () => {
  let stack: TestStack;
  let exported: Set<string>;
  let regionText: string;
  const api = () => apiClient(stack.edgeUrl);

  beforeAll(async () => {
    // Its own shards, so its relay publishes (and its counters count) only this suite's events.
    stack = await startTestStack({
      regions: ['us'],
      workers: 'relay',
      shards: { us: await privateShards('ops_metrics') },
    });
    const client = api();
    const { token } = await client.signup('ops-metrics', { region: 'us' });
    const lead = await client.call('POST', '/api/v1/leads', {
      token,
      body: { firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines' },
    });
    expect(lead.status, JSON.stringify(lead.data)).toBe(201);
    const converted = await client.call('POST', `/api/v1/leads/${lead.data.id}/convert`, { token });
    expect(converted.status, JSON.stringify(converted.data)).toBe(201);
    const deal = await client.call('POST', '/api/v1/deals', {
      token,
      body: { name: 'Forty seats', amount: '1250.50', currency: 'CHF' },
    });
    expect(deal.status, JSON.stringify(deal.data)).toBe(201);
    const won = await client.call('POST', `/api/v1/deals/${deal.data.id}/won`, { token });
    expect(won.status, JSON.stringify(won.data)).toBe(200);
    // The business counters move when the relay has published the events.
    const deadline = Date.now() + 30_000;
    for (;;) {
      regionText = await (await fetch(`${stack.regionUrls.us}/metrics`)).text();
      if (sampleValue(regionText, 'crm_deals_won_revenue', { currency: 'CHF' }) === 1250.5) break;
      if (Date.now() > deadline) throw new Error(`the relay did not count the won deal:\n${regionText}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const edgeText = await (await fetch(`${stack.edgeUrl}/metrics`)).text();
    exported = new Set([...exportedNames(regionText), ...exportedNames(edgeText), ...NODE_EXPORTER_METRICS]);
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('export the spec’s metrics, business figures counted from the events', () => {
    for (const name of [
      'http_request_duration_seconds',
      'db_query_duration_seconds',
      'cache_hit_rate',
      'queue_depth',
      'crm_leads_created_total',
      'crm_deals_won_revenue',
      'crm_conversion_rate',
    ]) {
      expect(exported, name).toContain(name);
    }
    expect(sampleValue(regionText, 'crm_leads_converted_total', { region: 'us' })).toBe(1);
    expect(sampleValue(regionText, 'crm_deals_won_total', { currency: 'CHF' })).toBe(1);
    expect(sampleValue(regionText, 'crm_conversion_rate', { region: 'us' })).toBe(1);
    expect(sampleValue(regionText, 'crm_leads_created_total', { region: 'us' })).toBe(1);
    expect(sampleValue(regionText, 'db_query_duration_seconds_count', { operation: 'insert' })).toBeGreaterThan(0);
    expect(sampleValue(regionText, 'crm_database_up', { database: 'us-0' })).toBe(1);
    expect(sampleValue(regionText, 'crm_database_up', { database: 'directory' })).toBe(1);
    // Statement kinds only, never SQL.
    for (const [, operation] of regionText.matchAll(/operation="([^"]*)"/g)) {
      expect(['select', 'insert', 'update', 'delete', 'other']).toContain(operation);
    }
  });

  it.each(dashboards)('%s: parses, and every expression reads only metrics we export', (_name, dashboard) => {
    expect(dashboard.uid).toMatch(/^crm-/);
    const expressions = expressionsOf(dashboard);
    expect(expressions.length).toBeGreaterThan(3);
    for (const expression of expressions) {
      for (const name of metricNamesOf(expression)) expect(exported, `${name} in ${expression}`).toContain(name);
    }
  });

  it('alert rules read only metrics we export', () => {
    for (const { alert, expr } of alertExpressions()) {
      const names = metricNamesOf(expr);
      expect(names.length, alert).toBeGreaterThan(0);
      for (const name of names) expect(exported, `${name} in ${alert}`).toContain(name);
    }
  });
});
