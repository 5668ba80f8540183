import type { LatencySummary } from './stats.ts';

/** A ratio against a baseline measured in the same run: the figure machines cannot make noisy. */
export type Ratio = {
  /** The baseline case it divides by. */
  of: string;
  /** throughput: case ÷ baseline rows/s (1 = as fast); p95: case p95 ÷ baseline p95 (1 = as quick). */
  by: 'throughput' | 'p95';
  value: number;
};

/** One measured case: one line of the results table. */
export type BenchResult = {
  benchmark: string;
  name: string;
  /** What the throughput counts: rows, requests, queries, batches. */
  unit: string;
  /** How many of them were measured. */
  count: number;
  /** Units a second, end to end. */
  perSecond: number;
  /** Milliseconds per operation (a request, a query, a batch), when the case times operations one by one. */
  latency?: LatencySummary;
  ratio?: Ratio;
  note?: string;
};

const columns = ['benchmark', 'case', 'n', 'throughput', 'p50 ms', 'p95 ms', 'p99 ms', 'vs baseline', 'note'] as const;
const widths = [10, 34, 9, 16, 9, 9, 9, 26, 0];

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  return Math.round(n).toLocaleString('en-US');
}

export function formatRatio(ratio: Ratio | undefined): string {
  if (!ratio) return '';
  const value = ratio.value >= 10 ? ratio.value.toFixed(0) : ratio.value.toFixed(2);
  return `${value}x ${ratio.by === 'p95' ? 'p95' : 'rate'} of ${ratio.of}`;
}

const pad = (text: string, width: number) => (width === 0 ? text : text.padEnd(width));

function cells(result: BenchResult): string[] {
  const { latency } = result;
  return [
    result.benchmark,
    result.name,
    formatCount(result.count),
    `${formatCount(result.perSecond)} ${result.unit}/s`,
    latency ? formatMs(latency.p50) : '',
    latency ? formatMs(latency.p95) : '',
    latency ? formatMs(latency.p99) : '',
    formatRatio(result.ratio),
    result.note ?? '',
  ];
}

export const headerLine = (): string => columns.map((c, i) => pad(c, widths[i]!)).join(' ');

/** One result as one line, aligned under headerLine(). */
export const resultLine = (result: BenchResult): string =>
  cells(result)
    .map((c, i) => pad(c, widths[i]!))
    .join(' ')
    .trimEnd();

/** The same results as a Markdown table, for docs/performance.md. */
export function markdownTable(results: readonly BenchResult[]): string {
  const lines = [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`];
  for (const result of results) lines.push(`| ${cells(result).join(' | ')} |`);
  return lines.join('\n');
}
