import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

export type StackOptions = {
  dataDir: string;
  regions: string[];
  /** 0 picks free ports. */
  edgePort: number;
  regionPorts: number[];
  env: NodeJS.ProcessEnv;
  /** Aborting stops whatever has started and makes startStack reject (Ctrl-C during a slow start). */
  signal?: AbortSignal;
  /** A process that ended on its own once the stack was up; the stack is broken from then on. */
  onUnexpectedExit?: (exit: ChildExit) => void;
};

export type ChildExit = { name: string; pid: number | undefined; code: number | null; signal: NodeJS.Signals | null };

export type RunningStack = {
  edge: string;
  regions: Record<string, string>;
  /** Stops every process and tells how each ended; `code: 0` is a clean stop. */
  stop(): Promise<ChildExit[]>;
};

type Launched = { name: string; child: ChildProcess; url: Promise<string>; exited: Promise<ChildExit> };

/** Starts a TypeScript entry as its own process and resolves with the URL it prints as `<label> http://…`. */
function launch(name: string, entry: string, env: NodeJS.ProcessEnv, logFile: string, label: RegExp): Launched {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<ChildExit>((done) =>
    child.once('exit', (code, signal) => done({ name, pid: child.pid, code, signal })),
  );
  const url = new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      const match = label.exec(line);
      if (match) resolveUrl(match[1]!);
    });
    child.once('error', reject);
    void exited.then(({ code, signal }) =>
      reject(new Error(`${name} exited with ${signal ?? code} before it was ready; see ${logFile}`)),
    );
  });
  // Several start at once; when one fails the others are stopped, and their rejections are expected.
  url.catch(() => {});
  return { name, child, url, exited };
}

const FORCE_AFTER_MS = 10_000;

/** SIGTERM to all at once (each closes its own databases), SIGKILL for any that hangs. */
function stopAll(launched: Launched[]): Promise<ChildExit[]> {
  return Promise.all(
    launched.map(({ child, exited }) => {
      if (child.exitCode === null && child.signalCode === null) {
        const force = setTimeout(() => child.kill('SIGKILL'), FORCE_AFTER_MS);
        void exited.then(() => clearTimeout(force));
        child.kill('SIGTERM');
      }
      return exited;
    }),
  );
}

/**
 * The whole system as separate processes: one per region, then the edge in front of them. The first region also
 * keeps the global directory (unless DIRECTORY_URL names a database) and the others reach it over HTTP, so it
 * starts alone; the rest start together once it answers.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const dataDir = resolve(options.dataDir);
  const logs = join(dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const secret = options.env.EDGE_SHARED_SECRET ?? randomBytes(32).toString('hex');
  const launched: Launched[] = [];
  const abort = () => void stopAll(launched);
  options.signal?.addEventListener('abort', abort, { once: true });

  const startRegion = (region: string, i: number, directoryUrl: string | undefined) => {
    if (options.signal?.aborted) throw new Error('stopped before the stack was up');
    const shardUrls = options.env[`SHARD_URLS_${region.toUpperCase().replace(/-/g, '_')}`];
    const replicaUrls = options.env[`SHARD_REPLICA_URLS_${region.toUpperCase().replace(/-/g, '_')}`];
    const env = {
      ...options.env,
      REGION: region,
      PORT: String(options.regionPorts[i] ?? 0),
      DATA_DIR: dataDir,
      EDGE_SHARED_SECRET: secret,
      ...(shardUrls ? { SHARD_URLS: shardUrls } : {}),
      ...(replicaUrls ? { SHARD_REPLICA_URLS: replicaUrls } : {}),
      ...(directoryUrl ? { DIRECTORY_URL: directoryUrl } : {}),
    };
    const started = launch(
      `region ${region}`,
      'regions/server.ts',
      env,
      join(logs, `region-${region}.log`),
      /^region \S+ (http\S+)/,
    );
    launched.push(started);
    return started.url;
  };

  try {
    const [first, ...rest] = options.regions;
    if (!first) throw new Error('name at least one region');
    const firstUrl = await startRegion(first, 0, options.env.DIRECTORY_URL);
    const directoryUrl = options.env.DIRECTORY_URL ?? firstUrl;
    const restUrls = await Promise.all(rest.map((region, i) => startRegion(region, i + 1, directoryUrl)));
    const regionUrls: Record<string, string> = Object.fromEntries(
      options.regions.map((region, i) => [region, i === 0 ? firstUrl : restUrls[i - 1]!]),
    );

    if (options.signal?.aborted) throw new Error('stopped before the stack was up');
    const edgeEnv = {
      ...options.env,
      PORT: String(options.edgePort),
      EDGE_SHARED_SECRET: secret,
      REGIONS: Object.entries(regionUrls)
        .map(([name, url]) => `${name}=${url}`)
        .join(','),
    };
    const edge = launch('edge', 'edge/node.ts', edgeEnv, join(logs, 'edge.log'), /^edge (http\S+)/);
    launched.push(edge);
    const edgeUrl = await edge.url;
    options.signal?.removeEventListener('abort', abort);

    let stopping: Promise<ChildExit[]> | undefined;
    for (const { exited } of launched) {
      void exited.then((exit) => {
        if (!stopping) options.onUnexpectedExit?.(exit);
      });
    }
    return {
      edge: edgeUrl,
      regions: regionUrls,
      stop: () => {
        stopping ??= stopAll(launched);
        return stopping;
      },
    };
  } catch (error) {
    options.signal?.removeEventListener('abort', abort);
    await stopAll(launched);
    throw error;
  }
}
