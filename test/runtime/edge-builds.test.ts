import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The edge's two non-Node builds as CI runs them: `deno check edge/deno.ts` (Deno's own type checker over the entry
 * and everything it imports) and `wrangler deploy --dry-run` (wrangler's bundling of edge/worker.ts with
 * wrangler.toml, which is what `wrangler deploy` uploads). Neither may reach the network: every proxy variable
 * points at a closed port, so a download or an API call fails the test instead of passing by luck.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'crm-edge-builds-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const offline = {
  PATH: process.env.PATH ?? '',
  HOME: scratch,
  NO_COLOR: '1',
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
};

/** The real binary from deno's platform package first (as test/runtime/deno.test.ts finds it). */
function denoBinary(): string {
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const platform = process.platform === 'linux' ? `linux-${arch}-glibc` : `${process.platform}-${arch}`;
  const candidates = [`node_modules/@deno/${platform}/deno`, 'node_modules/deno/deno', 'node_modules/.bin/deno'];
  const found = candidates.map((path) => join(root, path)).find((path) => existsSync(path));
  if (!found) throw new Error(`no deno binary in ${candidates.join(', ')}; run npm install`);
  return found;
}

/** `import … from "node:…"`, `import("node:…")` or `require("node:…")` left in a bundle. */
const nodeImport = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s*)["'`]node:[^"'`]+["'`]/;

// Each step runs a build in a child process, which takes long on a loaded machine.
const SLOW = { timeout: 300_000 };

describe('deno check edge/deno.ts', SLOW, () => {
  it('type-checks the Deno entry and everything it imports, from local files only', () => {
    const result = spawnSync(
      denoBinary(),
      ['check', `--config=${join(root, 'deno.json')}`, '--no-remote', 'edge/deno.ts'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 300_000,
        // Deno's own cache (type-check results) is kept between runs; the proxies still keep it offline.
        env: {
          ...offline,
          HOME: process.env.HOME ?? scratch,
          ...(process.env.DENO_DIR ? { DENO_DIR: process.env.DENO_DIR } : {}),
          DENO_NO_UPDATE_CHECK: '1',
          DENO_NO_PROMPT: '1',
        },
      },
    );
    expect(result.stderr + result.stdout).not.toMatch(/error/i);
    expect(result.status).toBe(0);
  });
});

describe('wrangler deploy --dry-run', SLOW, () => {
  const outdir = join(scratch, 'worker');
  let bundle = '';

  it('bundles edge/worker.ts with wrangler.toml, without logging in or going online', () => {
    // wrangler.toml as it is but for an absolute `main`, run from a scratch folder: wrangler keeps its temporary
    // files (.wrangler/) beside the configuration, which must not be the working tree.
    const project = join(scratch, 'project');
    mkdirSync(project);
    const config = readFileSync(join(root, 'wrangler.toml'), 'utf8');
    expect(config).toMatch(/^main = "edge\/worker\.ts"$/m);
    writeFileSync(
      join(project, 'wrangler.toml'),
      config.replace(/^main = "edge\/worker\.ts"$/m, `main = ${JSON.stringify(join(root, 'edge/worker.ts'))}`),
    );
    const result = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/wrangler/bin/wrangler.js'),
        'deploy',
        '--dry-run',
        '--outdir',
        outdir,
        '--config',
        join(project, 'wrangler.toml'),
      ],
      {
        cwd: project,
        encoding: 'utf8',
        timeout: 300_000,
        env: {
          ...offline,
          CI: 'true',
          WRANGLER_SEND_METRICS: 'false',
          WRANGLER_LOG_PATH: join(scratch, 'wrangler-logs'),
          XDG_CONFIG_HOME: join(scratch, 'config'),
        },
      },
    );
    const output = result.stdout + result.stderr;
    expect(output).toContain('--dry-run: exiting now.');
    expect(result.status, output).toBe(0);
    const files = readdirSync(outdir).filter((f) => f.endsWith('.js'));
    expect(files).toEqual(['worker.js']);
    bundle = readFileSync(join(outdir, 'worker.js'), 'utf8');
    expect(bundle.length).toBeGreaterThan(10_000);
  });

  it('leaves no Node builtin for workerd to fail on (wrangler.toml has no nodejs_compat)', () => {
    expect(bundle).not.toBe('');
    expect(nodeImport.exec(bundle)?.[0] ?? null).toBeNull();
    expect(readFileSync(join(root, 'wrangler.toml'), 'utf8')).not.toMatch(/^compatibility_flags.*nodejs_compat/m);
  });

  it('runs in workerd and answers /health', async () => {
    const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(
      readFileSync(join(root, 'wrangler.toml'), 'utf8'),
    )![1]!;
    const mf = new Miniflare({
      modules: true,
      script: bundle,
      compatibilityDate,
      bindings: { REGIONS: 'us=http://127.0.0.1:9', EDGE_SHARED_SECRET: 'a'.repeat(32) },
    });
    try {
      const response = await mf.dispatchFetch('https://edge.test/health');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', tier: 'edge', regions: ['us'] });
    } finally {
      await mf.dispose();
    }
  });
});
