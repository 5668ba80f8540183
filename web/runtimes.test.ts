import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEdgeWorker } from '../scripts/build-edge.ts';

/**
 * The page renderer runs wherever the edge runs: the Worker bundle in workerd and edge/deno.ts in Deno both serve
 * the sign-in page (server-rendered Preact, no script) and its stylesheet. No region is needed for a signed-out page.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const env = {
  REGIONS: 'us=http://127.0.0.1:9',
  EDGE_SHARED_SECRET: 'runtime-test-secret-0123456789abcdef0123456789',
};

async function expectSignInPage(fetchPage: (path: string) => Promise<Response>) {
  const page = await fetchPage('/login');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toContain('<label for="f-email"');
  expect(html).not.toContain('<script');
  const css = /href="(\/static\/app-[0-9a-f]+\.css)"/.exec(html)?.[1];
  const sheet = await fetchPage(css!);
  expect(sheet.status).toBe(200);
  expect(await sheet.text()).toContain('.btn-primary');
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('web pages in other runtimes', () => {
  it('renders in workerd (the Worker bundle)', async () => {
    const bundle = await buildEdgeWorker({ write: false });
    const mf = new Miniflare({ modules: true, script: bundle.code, compatibilityDate: '2026-04-15', bindings: env });
    try {
      await expectSignInPage(
        async (path) => (await mf.dispatchFetch(`https://edge.test${path}`)) as unknown as Response,
      );
    } finally {
      await mf.dispose();
    }
  });

  it('renders in Deno (edge/deno.ts)', async () => {
    const binary = ['node_modules/@deno/linux-x64-glibc/deno', 'node_modules/deno/deno']
      .map((p) => join(root, p))
      .find((p) => existsSync(p));
    if (!binary) throw new Error('no deno binary; run npm install');
    const child = spawn(
      binary,
      [
        'run',
        '--no-remote',
        '--cached-only',
        '--no-prompt',
        '--allow-net=127.0.0.1',
        '--allow-env',
        `--allow-read=${root}`,
        'edge/deno.ts',
      ],
      { cwd: root, env: { ...process.env, ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`deno edge did not start:\n${output}`)), 60_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const match = /^edge (http:\/\/\S+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    await expectSignInPage((path) => fetch(url + path));
  }, 90_000);
});
