import v8 from 'node:v8';
import vm from 'node:vm';

export type MemoryFigures = { heapUsed: number; rss: number; external: number };

const read = (): MemoryFigures => {
  const { heapUsed, rss, external } = process.memoryUsage();
  return { heapUsed, rss, external };
};

let collect: (() => void) | undefined;

/**
 * The heap still in use after a full collection: what the process holds, not garbage waiting to be swept. The
 * collector is reached without a command-line flag, so `npm run bench` needs none.
 */
export function liveHeapBytes(): number {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  return process.memoryUsage().heapUsed;
}

/**
 * Samples the process's memory every `intervalMs` and keeps the highest figures seen since the last reset: a
 * whole-file buffer shows up as a peak near the file's size, a stream as a peak that does not grow with it.
 */
export function memorySampler(intervalMs = 100) {
  let peak = read();
  const sample = () => {
    const now = read();
    peak = {
      heapUsed: Math.max(peak.heapUsed, now.heapUsed),
      rss: Math.max(peak.rss, now.rss),
      external: Math.max(peak.external, now.external),
    };
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    /** The peaks since the last reset, and starts over. */
    take(): MemoryFigures {
      sample();
      const taken = peak;
      peak = read();
      return taken;
    },
    stop: () => clearInterval(timer),
  };
}

export function mib(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return `${value.toFixed(Math.abs(value) < 10 ? 1 : 0)} MiB`;
}
