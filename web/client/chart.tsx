import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/**
 * A chart drawn with uPlot on a canvas once the page runs. It is a picture of figures a table next to it states
 * in full, so it is hidden from assistive technology; the server renders an empty box of its height, so nothing
 * moves when it appears.
 */
export type ChartSeries = { label: string; values: (number | null)[] };
export type ChartProps = {
  kind: 'bars' | 'line';
  /** One label per point on the x axis: stages, sources, reps, days. */
  labels: string[];
  series: ChartSeries[];
  /** How the y axis writes its values. */
  unit?: 'count' | 'percent' | { currency: string };
  height?: number;
};

const colors = ['#4338ca', '#0891b2', '#c2410c', '#15803d'];

function formatter(unit: ChartProps['unit']) {
  if (unit === 'percent') return (v: number) => `${v}%`;
  if (unit && typeof unit === 'object') {
    const f = new Intl.NumberFormat('en', {
      style: 'currency',
      currency: unit.currency,
      notation: 'compact',
      maximumFractionDigits: 1,
    });
    return (v: number) => f.format(v);
  }
  const f = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
  return (v: number) => f.format(v);
}

const shorten = (label: string) => (label.length > 14 ? `${label.slice(0, 13)}…` : label);

function options(props: ChartProps, width: number): uPlot.Options {
  const bars = props.kind === 'bars';
  const count = props.labels.length;
  const format = formatter(props.unit);
  const integers = props.unit === undefined || props.unit === 'count';
  return {
    width,
    height: props.height ?? 220,
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: bars ? [-0.5, count - 0.5] : [0, Math.max(1, count - 1)] },
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
    },
    axes: [
      {
        // Categories sit at 0, 1, 2…; uPlot picks a step among these that leaves room for each label.
        incrs: [1, 2, 3, 5, 7, 10, 14, 30],
        space: 56,
        values: (_u, splits) =>
          splits.map((i) => (Number.isInteger(i) && props.labels[i] ? shorten(props.labels[i]!) : '')),
        grid: { show: false },
        stroke: '#334155',
      },
      {
        size: 64,
        incrs: integers ? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 5_000, 10_000, 100_000, 1_000_000] : undefined,
        values: (_u, splits) => splits.map(format),
        grid: { stroke: '#e2e8f0' },
        stroke: '#334155',
      },
    ],
    series: [
      {},
      ...props.series.map((s, i) => {
        const color = colors[i % colors.length]!;
        const many = props.series.length;
        return {
          label: s.label,
          stroke: color,
          width: bars ? 0 : 2,
          fill: bars ? color : `${color}22`,
          points: { show: !bars && count <= 31, size: 6 },
          // Bars of several series stand side by side within each category.
          paths: bars
            ? uPlot.paths.bars!({ size: [0.7 / many, 48], align: many === 1 ? 0 : i < many / 2 ? -1 : 1 })
            : undefined,
        } satisfies uPlot.Series;
      }),
    ],
  };
}

export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const data = JSON.stringify([props.kind, props.labels, props.series, props.unit]);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const x = props.labels.map((_, i) => i);
    const width = () => Math.max(200, Math.floor(element.clientWidth));
    const plot = new uPlot(
      options(props, width()),
      [x, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      element,
    );
    const resized = new ResizeObserver(() => plot.setSize({ width: width(), height: props.height ?? 220 }));
    resized.observe(element);
    return () => {
      resized.disconnect();
      plot.destroy();
    };
    // The figures (`data`), not the props object, decide when the chart is drawn again.
  }, [data]);
  return (
    <div
      ref={box}
      aria-hidden="true"
      data-chart={props.kind}
      class="w-full overflow-hidden"
      style={{ minHeight: `${props.height ?? 220}px` }}
    />
  );
}
