import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiClient } from '../support/api.ts';
import { TEST_REGIONS } from '../support/databases.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../support/stack.ts';
import { EXPORT_PATH, expectStreamedExport, seedStreamedLeads, watchRegionExport } from './streamed-export.ts';
import { expectImportCreated, multipartStream, postStream, regionStoring, storedFiles } from './streamed-upload.ts';

/** The Deno edge's upload limit here: small, so a body past it is quick to send. */
const UPLOAD_LIMIT = 8 * 1024 * 1024;

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The real binary from deno's platform package first: without npm install scripts `.bin/deno` can be a Node shim
 * that spawns Deno as a grandchild, which killing the shim would leave running.
 */
function denoBinary(): string {
  const exe = process.platform === 'win32' ? 'deno.exe' : 'deno';
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const platform = process.platform === 'linux' ? `linux-${arch}-glibc` : `${process.platform}-${arch}`;
  const candidates = [`node_modules/@deno/${platform}/${exe}`, `node_modules/deno/${exe}`, `node_modules/.bin/${exe}`];
  const found = candidates.map((path) => join(root, path)).find((path) => existsSync(path));
  if (!found) throw new Error(`no deno binary in ${candidates.join(', ')}; run npm install`);
  return found;
}

/** Resolves with the URL edge/deno.ts prints once Deno.serve listens; rejects with its output if it dies first. */
function startDenoEdge(env: Record<string, string>): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(
    denoBinary(),
    [
      'run',
      `--config=${join(root, 'deno.json')}`,
      // Everything resolves from the sources and node_modules: no JSR, no deno.land, no npm registry.
      '--no-remote',
      '--cached-only',
      '--no-prompt',
      // Loopback only, so a stray call to the internet fails loudly instead of hanging.
      '--allow-net=127.0.0.1',
      '--allow-env',
      `--allow-read=${root}`,
      'edge/deno.ts',
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`deno edge did not listen within 30 s:\n${output}`)), 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const match = /^edge (http:\/\/\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`deno edge exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return { child, url };
}

async function stop(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

let stack: TestStack;
let deno: ChildProcess | undefined;
let api: ReturnType<typeof apiClient>;
let denoUrl: string;

beforeAll(async () => {
  // The stack's Node edge is left idle: only its regions are used, reached from the Deno process.
  stack = await startTestStack();
  const started = startDenoEdge({
    // Only what Deno needs: the test runner's environment (NODE_OPTIONS, proxies, …) stays out.
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? root,
    ...(process.env.DENO_DIR ? { DENO_DIR: process.env.DENO_DIR } : {}),
    ...(process.env.XDG_CACHE_HOME ? { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME } : {}),
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PROMPT: '1',
    NO_COLOR: '1',
    REGIONS: Object.entries(stack.regionUrls)
      .map(([name, url]) => `${name}=${url}`)
      .join(','),
    DEFAULT_REGION: TEST_REGIONS[0],
    EDGE_SHARED_SECRET: TEST_SECRET,
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_IP_PER_MINUTE: '100000',
    HOST: '127.0.0.1',
    PORT: '0',
    MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT),
  });
  deno = started.child;
  denoUrl = await started.url;
  api = apiClient(denoUrl);
});

afterAll(async () => {
  await stop(deno);
  await stack?.stop();
});

describe('the edge on Deno (edge/deno.ts from the TypeScript sources)', () => {
  it('answers health with every configured region', async () => {
    const health = await api.call('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.data).toEqual({ status: 'ok', tier: 'edge', regions: Object.keys(stack.regionUrls) });
  });

  it('shows every region ready on the status page, and its counters to a loopback scraper', async () => {
    const status = await api.call('GET', '/status.json');
    expect(status.status).toBe(200);
    expect(status.data.overall).toBe('operational');
    expect(status.data.regions.map((r: { region: string; state: string }) => [r.region, r.state])).toEqual(
      Object.keys(stack.regionUrls).map((region) => [region, 'ready']),
    );
    const page = await api.call('GET', '/status');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.data).toContain('All regions operational');
    const metrics = await api.call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.data).toContain('# TYPE edge_cache_requests_total counter');
  });

  it('signs up, creates, lists and reads a lead in each region, end to end', async () => {
    for (const region of TEST_REGIONS) {
      const { token, organization } = await api.signup(`deno-${region}`, { region });
      expect(organization.homeRegion).toBe(region);

      const made = await api.call('POST', '/api/v1/leads', {
        token,
        body: { firstName: 'Grace', lastName: 'Hopper', company: `Compilers ${region}` },
      });
      expect(made.status, JSON.stringify(made.data)).toBe(201);
      const id: string = made.data.id;

      const list = await api.call<{ data: { id: string }[] }>('GET', '/api/v1/leads', { token });
      expect(list.status).toBe(200);
      expect(list.data.data.map((l) => l.id)).toEqual([id]);

      const one = await api.call('GET', `/api/v1/leads/${id}`, { token });
      expect(one.status).toBe(200);
      expect(one.data).toMatchObject({ id, firstName: 'Grace', company: `Compilers ${region}` });
    }
  });

  it('serves a form’s embed script and takes a submission from its allowed origin, in the form’s home region', async () => {
    const region = TEST_REGIONS.at(-1)!;
    const { token } = await api.signup(`deno-form-${region}`, { region });
    const form = await api.call('POST', '/api/v1/forms', {
      token,
      body: {
        name: 'Contact',
        fields: [{ name: 'email', label: 'Email', type: 'email', required: true, leadField: 'email' }],
        allowedOrigins: ['https://site.test'],
      },
    });
    expect(form.status, JSON.stringify(form.data)).toBe(201);
    const script = await fetch(`${denoUrl}/forms/${form.data.publicId}.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain(form.data.publicId);
    const sent = await api.call('POST', `/forms/${form.data.publicId}/submissions`, {
      body: { email: `deno-${region}@example.com` },
      headers: { origin: 'https://site.test' },
    });
    expect(sent.status, JSON.stringify(sent.data)).toBe(201);
    expect(sent.headers.get('access-control-allow-origin')).toBe('https://site.test');
  });

  it('streams a CSV export through Deno, and stops the region’s export when the client leaves', async () => {
    const region = TEST_REGIONS[0];
    const { token, organization } = await api.signup('deno-csv', { region });
    const headers = { authorization: `Bearer ${token}` };
    const names = await seedStreamedLeads(stack, region, organization.id);
    await expectStreamedExport(await fetch(denoUrl + EXPORT_PATH, { headers }), names);

    const watch = watchRegionExport(stack, region, organization.id);
    try {
      const client = new AbortController();
      const response = await fetch(denoUrl + EXPORT_PATH, { headers, signal: client.signal });
      const first = await response.body!.getReader().read();
      expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(first.value)).toMatch(/^\ufeffid,firstName,/);
      client.abort();
      await watch.cancelled();
    } finally {
      watch.restore();
    }
  });

  it('streams a CSV upload through Deno into the region, and cuts one past its limit with a 413', async () => {
    const region = TEST_REGIONS[0];
    const { token } = await api.signup('deno-upload', { region });
    const rows = 60_000;
    // Its second half waits until the region is writing the file: an edge that held the body would never get there.
    const storing = regionStoring(stack, region);
    const created = await postStream(denoUrl, '/api/v1/imports', token, {
      body: multipartStream({ csv: { rows }, holdAfter: 2 * 1024 * 1024, gate: storing }),
    });
    expectImportCreated(created.status, JSON.parse(created.text), rows);

    const before = await storedFiles(stack, region);
    const tooLarge = await postStream(denoUrl, '/api/v1/imports', token, {
      body: multipartStream({ csv: { rows: 200_000 } }),
    });
    expect(tooLarge.status, tooLarge.text).toBe(413);
    expect(JSON.parse(tooLarge.text).error).toMatchObject({ code: 'payload_too_large' });
    await vi.waitFor(async () => expect(await storedFiles(stack, region)).toEqual(before), { timeout: 10_000 });
  });

  it('refuses a call without a token with the 401 error envelope', async () => {
    const reply = await api.call('GET', '/api/v1/leads');
    expect(reply.status).toBe(401);
    expect(reply.data.error).toMatchObject({ code: 'unauthorized', message: expect.any(String) });
  });
});
