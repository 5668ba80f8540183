import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';
import { privateShards } from '../support/databases.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { fillPath, type Operation, operations, pathParameters } from './support/operations.ts';
import { describeProbe, leakedIn, type Probe, probe } from './support/probe.ts';
import { type Caller, kindOf, referenceFor, secretsOf, seedTenant, type Tenant, valueFor } from './support/world.ts';

/**
 * Every operation of the OpenAPI document with an id in its path, called by each of organization A's four roles,
 * with a user token and with an API key of that role's permissions, naming organization B's record of that kind.
 * The answer must be exactly the one a never-issued id gets (same status and error code: nothing tells B's record
 * exists), never a 2xx, never carry B's data; and B's records must be as they were. Within A, a second sales rep
 * gets nothing of the first's leads, contacts and deals, and a viewer changes nothing.
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let a: Tenant;
let b: Tenant;
/** A sales rep of A who owns none of A's seeded records. */
let otherRep: Caller;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

beforeAll(async () => {
  stack = await startTestStack({ shards: { us: await privateShards('idor_us'), eu: await privateShards('idor_eu') } });
  api = apiClient(stack.edgeUrl);
  // One after the other: two at once only load a small machine more.
  a = await seedTenant(stack, api, 'idor-a');
  b = await seedTenant(stack, api, 'idor-b');
  const rep = await api.member(a.admin.token, 'sales_rep', 'idor-rep2');
  otherRep = { label: 'other sales_rep token', role: 'sales_rep', via: 'token', credential: rep.token };
}, 180_000);
afterAll(() => stack?.stop());

const withIds = operations().filter((op) => op.secured && pathParameters(op.path).length > 0);

/**
 * The documented body with every id it names replaced by A's own (so only the path is foreign); for an upload, a
 * small CSV file, so the request gets past the media type check to the record lookup.
 */
function bodyFor(op: Operation, tenant: Tenant): string | (() => FormData) | undefined {
  if (op.bodyType === 'multipart/form-data') {
    return () => {
      const form = new FormData();
      form.append('file', new Blob(['firstName\nAda\n'], { type: 'text/csv' }), 'probe.csv');
      return form;
    };
  }
  if (op.bodyType !== 'application/json') return undefined;
  const collection = kindOf(op.path, 'id');
  const swap = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') return UUID.test(value) ? (referenceFor(tenant, key, collection) ?? value) : value;
    if (Array.isArray(value)) return value.map((v) => swap(v, key));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v, k)]));
    }
    return value;
  };
  return JSON.stringify(swap(op.examples[0] ?? {}, ''));
}

/** Path values naming `tenant`'s records; where it has none of that kind, a fresh id. */
function pathFor(op: Operation, tenant: Tenant | null): Record<string, string> {
  return Object.fromEntries(
    pathParameters(op.path).map((name) => {
      const own = tenant ? valueFor(tenant, op.path, name) : null;
      if (own !== null) return [name, own];
      const kind = kindOf(op.path, name);
      if (kind === 'personType') return [name, 'lead'];
      if (kind === 'address') return [name, `${randomUUID()}@nowhere.example`];
      if (name === 'queue') return [name, 'email.send'];
      return [name, randomUUID()];
    }),
  );
}

const send = (op: Operation, caller: Caller | string, path: Record<string, string>, body?: string | (() => FormData)) =>
  probe(stack.edgeUrl, {
    method: op.method,
    path: fillPath(op.path, path),
    headers: {
      authorization: `Bearer ${typeof caller === 'string' ? caller : caller.credential}`,
      ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}),
    },
    body: typeof body === 'function' ? body() : body,
  });

/**
 * A success is allowed only as an empty list that a never-issued id gets too (a workflow's runs are listed by
 * workflow id without looking the workflow up, by design, since runs outlive their workflow).
 */
function refused(foreign: Probe, nowhere: Probe): boolean {
  if (foreign.status < 200 || foreign.status >= 300) return true;
  try {
    const data = JSON.parse(foreign.text) as { data?: unknown[] };
    return Array.isArray(data.data) && data.data.length === 0 && foreign.text === nowhere.text;
  } catch {
    return false;
  }
}

/** An answer without what differs between two reads of the same thing (request ids, export times). */
const stable = (text: string) => text.replace(/"(requestId|exportedAt)":"[^"]*"/g, '"$1":"…"');

const errorCode = (p: Probe) => {
  try {
    return (JSON.parse(p.text) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
};

/** What B's admin reads at every id path before and after: any difference is a change made from A. */
async function snapshotOfB() {
  // A privacy export is audited, and the audit row is in the next export: not a read to compare.
  const reads = withIds.filter((op) => op.method === 'GET' && !op.stream && !op.path.includes('/privacy/'));
  const entries = await Promise.all(
    reads.map(async (op) => {
      const reply = await send(op, b.admin.token, pathFor(op, b));
      return [op.id, `${reply.status} ${stable(reply.text)}`] as const;
    }),
  );
  return Object.fromEntries(entries);
}

describe('IDOR matrix over every path with an id', () => {
  let before: Record<string, string>;

  it('knows a record of every kind the document names', () => {
    expect(withIds.length).toBeGreaterThan(80);
    const unknown = withIds.flatMap((op) =>
      pathParameters(op.path)
        .filter((name) => valueFor(b, op.path, name) === null)
        .map((name) => `${op.id} {${name}}`),
    );
    // Ids with no record seeded (dead jobs, workflow runs, deliveries and notifications need workers; routes added
    // after this suite) still get the same-answer check with a never-issued id; most ids must name a real record.
    if (unknown.length > 0) console.info(`idor-matrix: no seeded record for ${unknown.join(', ')}`);
    expect(unknown.length).toBeLessThan(withIds.length / 4);
  });

  it('snapshots what B holds', async () => {
    before = await snapshotOfB();
    expect(Object.values(before).filter((s) => s.startsWith('2')).length).toBeGreaterThan(25);
  });

  it.concurrent.each(withIds.map((op) => [op.id, op] as const))(
    "%s: A's roles get what a never-issued id gets for B's record",
    async (_, op) => {
      const body = bodyFor(op, a);
      const secrets = secretsOf(b);
      // The callers go at once (each pair in order); what one caller does to A cannot change another's answer for B.
      const pairs = await Promise.all(
        a.callers.map(async (caller) => {
          const foreign = await send(op, caller, pathFor(op, b), body);
          return { caller, foreign, nowhere: await send(op, caller, pathFor(op, null), body) };
        }),
      );
      for (const { caller, foreign, nowhere } of pairs) {
        const context = `${caller.label}: ${describeProbe(foreign)} | never-issued id: ${describeProbe(nowhere)}`;
        expect(refused(foreign, nowhere), context).toBe(true);
        expect(foreign.status, context).toBe(nowhere.status);
        expect(errorCode(foreign), context).toBe(errorCode(nowhere));
        // B's ids were sent, so an echo of them is allowed; B's marker and any other of its values are not.
        expect(leakedIn(foreign, secrets), context).toEqual([]);
      }
    },
    120_000,
  );

  it('left every record of B as it was', async () => {
    const after = await snapshotOfB();
    expect(after).toEqual(before);
  });
});

describe('across roles within one organization', () => {
  it.concurrent.each(
    withIds
      .filter((op) => ['lead', 'contact', 'deal'].includes(kindOf(op.path, 'id') ?? ''))
      .map((op) => [op.id, op] as const),
  )("%s: another sales rep gets nothing of a rep's own record", async (_, op) => {
    const reply = await send(op, otherRep, pathFor(op, a), bodyFor(op, a));
    expect(reply.status >= 200 && reply.status < 300, describeProbe(reply)).toBe(false);
    expect([400, 403, 404, 409, 415, 422], describeProbe(reply)).toContain(reply.status);
  });

  it.concurrent.each(withIds.filter((op) => op.method !== 'GET').map((op) => [op.id, op] as const))(
    "%s: a viewer, by token or key, changes nothing of the organization's",
    async (_, op) => {
      for (const caller of a.callers.filter((c) => c.role === 'viewer')) {
        const reply = await send(op, caller, pathFor(op, a), bodyFor(op, a));
        expect(reply.status >= 200 && reply.status < 300, `${caller.label}: ${describeProbe(reply)}`).toBe(false);
      }
    },
  );
});

describe("B's ids inside A's own request bodies", () => {
  /**
   * Operations whose documented body names at least one record by id. A workflow's dry run evaluates a sample record
   * the caller makes up and stores nothing, so an id named in it is only echoed.
   */
  const referencing = operations().filter(
    (op) =>
      op.secured &&
      op.bodyType === 'application/json' &&
      !op.path.endsWith('/dry-run') &&
      /[0-9a-f]{8}-[0-9a-f]{4}-/i.test(JSON.stringify(op.examples)),
  );

  it.concurrent.each(referencing.map((op) => [op.id, op] as const))(
    "%s: never links or reveals B's record",
    async (_, op) => {
      const body = bodyFor(op, b) as string;
      const reply = await send(op, a.admin.token, pathFor(op, a), body);
      // Refused, or accepted without taking B's ids in (nothing of B in what was stored and answered).
      if (reply.status >= 200 && reply.status < 300) {
        const named = secretsOf(b).filter((secret) => reply.text.includes(secret));
        expect(named, `${describeProbe(reply)} (body ${body.slice(0, 300)})`).toEqual([]);
      }
      expect(reply.status, describeProbe(reply)).toBeLessThan(500);
    },
  );
});
