import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';
import { privateShards } from '../support/databases.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { hostileText, jsonBody, multipartBody, parameterValue } from './support/arbitraries.ts';
import { fillPath, type Operation, operations } from './support/operations.ts';
import { describeProbe, leakedIn, probe } from './support/probe.ts';
import { type Caller, kindOf, referenceFor, secretsOf, seedTenant, type Tenant, valueFor } from './support/world.ts';

/**
 * Every operation of openapi/openapi.json, called with generated valid, boundary and hostile inputs by members of
 * organization A: each answer must be a 2xx, 3xx or 4xx (4xx in the error envelope), come within the request
 * deadline, and carry nothing of organization B. A fixed seed makes a run repeatable; fast-check prints the seed
 * and the failing input's path, and ATTACK_SEED / ATTACK_RUNS replay or widen a run.
 */
const SEED = Number(process.env.ATTACK_SEED ?? 20_261_206);
const RUNS = Number(process.env.ATTACK_RUNS ?? 6);

/**
 * Operations that end the caller's session, disable members or revoke keys the other operations' callers use: they
 * run after all the others, one at a time, and the admin signs in again after each.
 */
const DISRUPTIVE = new Set([
  'POST /api/v1/auth/logout',
  'DELETE /api/v1/me/sessions',
  'DELETE /api/v1/me/sessions/{id}',
  'DELETE /api/v1/users/{id}/sessions',
  'PATCH /api/v1/users/{id}',
  'DELETE /api/v1/users/{id}/mfa',
  'DELETE /api/v1/api-keys/{id}',
  'PATCH /api/v1/organization/security',
  'POST /api/v1/me/mfa/disable',
]);

/** Sign-in-like operations answer refusals after a fixed minimum time: fewer runs keep the suite's time in bounds. */
const SLOW = /^POST \/api\/v1\/auth\/(login|login\/mfa|password-reset|password-reset\/confirm|accept-invite|signup)$/;

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let a: Tenant;
let b: Tenant;
let secretsOfB: string[];
let ids: string[];
let adminToken: string;

beforeAll(async () => {
  // Shards of its own: the fuzz writes thousands of rows no other suite should meet.
  stack = await startTestStack({ shards: { us: await privateShards('fuzz_us'), eu: await privateShards('fuzz_eu') } });
  api = apiClient(stack.edgeUrl);
  // One after the other: two at once only load a small machine more.
  a = await seedTenant(stack, api, 'fuzz-a');
  b = await seedTenant(stack, api, 'fuzz-b');
  secretsOfB = secretsOf(b);
  adminToken = a.admin.token;
  // A's own ids reach past the lookups into the services; B's ids must be answered as if they did not exist.
  ids = [...Object.values(a.ids), ...Object.values(b.ids)];
}, 180_000);
afterAll(async () => {
  // How deep the run reached: operations never answered with a success were only ever refused at the door.
  const refusedOnly = [...statuses].filter(([, seen]) => ![...seen].some((s) => s < 400)).map(([id]) => id);
  console.info(
    `openapi-fuzz: seed ${SEED}, ${RUNS} runs per operation, ${statuses.size - refusedOnly.length}/${statuses.size} ` +
      `operations answered a success at least once; refused only: ${refusedOnly.join(', ') || 'none'}`,
  );
  await stack?.stop();
});

/** Operation → every status it answered in this run. */
const statuses = new Map<string, Set<number>>();

async function signInAgain() {
  const me = await api.call('GET', '/api/v1/me', { token: adminToken });
  if (me.status === 200) return;
  const login = await api.call('POST', '/api/v1/auth/login', {
    body: { email: a.admin.email, password: a.admin.password },
  });
  expect(login.status, JSON.stringify(login.data)).toBe(200);
  adminToken = login.data.accessToken;
}

function callerFor(op: Operation): fc.Arbitrary<Caller | null> {
  const admin = fc
    .constant(null)
    .map((): Caller => ({ label: 'admin token', role: 'admin', via: 'token', credential: adminToken }));
  if (!op.secured) return fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: admin });
  return fc.oneof({ weight: 2, arbitrary: admin }, { weight: 1, arbitrary: fc.constantFrom(...a.callers) });
}

type Input = {
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: (() => string | FormData) | undefined;
  caller: Caller | null;
};

/**
 * Half the runs are well formed (the caller's own records in the path, valid parameters, the documented body with
 * at most one change), so requests reach the services and the database; half are hostile throughout.
 */
function request(op: Operation): fc.Arbitrary<Input> {
  const collection = kindOf(op.path, 'id') ?? kindOf(`${op.path}/{id}`, 'id');
  const refer = (name: string) => referenceFor(a, name, collection);
  const values = [...ids, ...Object.values(a.values), ...Object.values(b.values)];
  const record = (where: string, hostile: boolean, optional: boolean) => {
    const params = op.parameters.filter((p) => p.in === where);
    return fc.record(Object.fromEntries(params.map((p) => [p.name, parameterValue(p, values, refer, hostile)])), {
      requiredKeys: optional ? params.filter((p) => p.required).map((p) => p.name) : undefined,
    }) as fc.Arbitrary<Record<string, string>>;
  };
  const body = (hostile: boolean): fc.Arbitrary<(() => string | FormData) | undefined> => {
    const json = () => jsonBody(op, ids, b.organizationId, refer, hostile).map((text) => () => text);
    if (op.bodyType === 'application/json') return json();
    if (op.bodyType === 'multipart/form-data')
      return hostile ? fc.oneof(multipartBody(ids), json()) : multipartBody(ids);
    if (op.method === 'GET' || !hostile) return fc.constant(undefined);
    return fc.oneof(
      fc.constant(undefined),
      hostileText().map((text) => () => text),
    );
  };
  const ownPath = Object.fromEntries(
    op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, valueFor(a, op.path, p.name)]),
  );
  const wellFormed = fc.record({
    path:
      ownPath && Object.values(ownPath).every((v) => v !== null)
        ? fc.constant(ownPath as Record<string, string>)
        : record('path', false, false),
    query: record('query', false, true),
    headers: fc.constant({}),
    body: body(false),
    caller: callerFor(op),
  });
  const hostile = fc
    .record({
      path: record('path', true, false),
      query: record('query', true, true),
      // Undeclared query keys too: servers must not trip over what they do not read.
      extraQuery: fc.dictionary(fc.constantFrom('organizationId', 'cf.x', 'limit', '__proto__'), hostileText(200), {
        maxKeys: 2,
      }),
      headers: record('header', true, true),
      body: body(true),
      caller: callerFor(op),
    })
    .map(({ extraQuery, ...rest }) => ({ ...rest, query: { ...rest.query, ...extraQuery } }));
  return fc.oneof(wellFormed, hostile);
}

async function attack(op: Operation) {
  await fc.assert(
    fc.asyncProperty(request(op), async (input) => {
      const query = new URLSearchParams(input.query).toString();
      const path = fillPath(op.path, input.path) + (query ? `?${query}` : '');
      const body = input.body?.();
      const headers: Record<string, string> = { ...input.headers };
      if (input.caller) headers.authorization = `Bearer ${input.caller.credential}`;
      if (typeof body === 'string') headers['content-type'] = 'application/json';
      const result = await probe(stack.edgeUrl, { method: op.method, path, headers, body, stream: op.stream });
      statuses.set(op.id, (statuses.get(op.id) ?? new Set()).add(result.status));
      const context = `${op.id} as ${input.caller?.label ?? 'anonymous'}: ${describeProbe(result)}`;
      expect(result.status, context).toBeGreaterThanOrEqual(200);
      expect(result.status, context).toBeLessThan(500);
      if (result.status >= 400 && result.contentType.includes('json')) {
        expect(JSON.parse(result.text), context).toMatchObject({
          error: { code: expect.any(String), message: expect.any(String), requestId: expect.any(String) },
        });
      }
      expect(leakedIn(result, secretsOfB), context).toEqual([]);
    }),
    { numRuns: SLOW.test(op.id) ? Math.max(3, Math.ceil(RUNS / 3)) : RUNS, seed: SEED, endOnFailure: true },
  );
}

const all = operations();

describe('every operation of the OpenAPI document, fuzzed', () => {
  it('covers the whole document', () => {
    expect(all.length).toBeGreaterThan(150);
    for (const id of DISRUPTIVE)
      expect(
        all.map((op) => op.id),
        id,
      ).toContain(id);
  });

  it.concurrent.each(all.filter((op) => !DISRUPTIVE.has(op.id)).map((op) => [op.id, op] as const))(
    '%s',
    async (_, op) => attack(op),
    120_000,
  );
});

describe('operations that end sessions or disable members, fuzzed one at a time', () => {
  it.each(all.filter((op) => DISRUPTIVE.has(op.id)).map((op) => [op.id, op] as const))(
    '%s',
    async (_, op) => {
      await signInAgain();
      await attack(op);
      await signInAgain();
    },
    120_000,
  );
});
