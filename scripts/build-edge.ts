import { mkdir, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const EDGE_WORKER_ENTRY = 'edge/worker.ts';
export const EDGE_WORKER_BUNDLE = resolve(root, 'dist/edge-worker.js');

export type EdgeWorkerBuild = { code: string; bytes: number; gzipBytes: number; outfile: string | null };

const builtins = new Set(builtinModules.filter((name) => !name.startsWith('_')));

/**
 * Workers and Deno have no Node builtins unless asked for (nodejs_compat), so one slipping into the edge graph must
 * stop the build here, naming the importer, rather than surface as a crash after deploy. Bare names count too:
 * `platform: 'neutral'` would otherwise resolve `buffer` or `events` to a look-alike npm package.
 */
const rejectNodeBuiltins: Plugin = {
  name: 'reject-node-builtins',
  setup(bundle) {
    bundle.onResolve({ filter: /^(?:node:)?[a-z0-9_/]+$/ }, (args) => {
      const bare = args.path.replace(/^node:/, '').split('/')[0]!;
      if (!args.path.startsWith('node:') && !builtins.has(bare)) return undefined;
      return { errors: [{ text: `"${args.path}" is a Node builtin; the edge must use Web standards only` }] };
    });
  },
};

/** Anything the bundler left as an import (or a require the minifier kept) that names a Node builtin. */
const nodeImport = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s*)["'`]node:[^"'`]+["'`]/;

/**
 * Bundles the Worker entry the way wrangler would (ESM, worker/browser export conditions). `write: false` keeps the
 * bundle in memory, so tests never race each other (or a developer's build) on dist/.
 */
export async function buildEdgeWorker(
  options: { minify?: boolean; write?: boolean; outfile?: string } = {},
): Promise<EdgeWorkerBuild> {
  const outfile = options.outfile ?? EDGE_WORKER_BUNDLE;
  const result = await build({
    absWorkingDir: root,
    entryPoints: [EDGE_WORKER_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    // `neutral` reads no main fields by default; these match what wrangler picks for a Worker.
    mainFields: ['browser', 'module', 'main'],
    minify: options.minify ?? true,
    legalComments: 'none',
    plugins: [rejectNodeBuiltins],
    metafile: true,
    write: false,
    outfile,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output');
  const code = output.text;
  const externals = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external));
  const leaked = externals.find((i) => i.path.startsWith('node:')) ?? nodeImport.exec(code)?.[0];
  if (leaked) throw new Error(`the edge bundle imports a Node builtin (${JSON.stringify(leaked)})`);
  if (options.write !== false) {
    await mkdir(dirname(outfile), { recursive: true });
    await writeFile(outfile, code);
  }
  return {
    code,
    bytes: output.contents.byteLength,
    gzipBytes: gzipSync(output.contents).byteLength,
    outfile: options.write === false ? null : outfile,
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const built = await buildEdgeWorker();
    console.log(`${relative(process.cwd(), built.outfile!)}: ${kb(built.bytes)} (${kb(built.gzipBytes)} gzipped)`);
  } catch (error) {
    console.error(`build:edge failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
