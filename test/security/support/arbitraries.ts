import fc from 'fast-check';
import type { Operation, Parameter } from './operations.ts';

/** Text that has broken parsers, queries, templates and logs somewhere. */
export const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  "' OR '1'='1",
  "'; DROP TABLE leads; --",
  '" OR ""="',
  '1; SELECT pg_sleep(30) --',
  "$$; SELECT current_setting('app.organization_id') $$",
  '%',
  '_',
  '\\',
  '%00',
  '%25%30%30',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{constructor.constructor("return process")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the attack
  '${process.env}',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '__proto__',
  'constructor',
  'prototype',
  '=HYPERLINK("http://evil.example")',
  '\r\nSet-Cookie: x=1',
  '\u202Egnp.exe',
  '𝕏'.repeat(40),
  'NaN',
  'Infinity',
  '-1',
  '0',
  '9'.repeat(40),
  '1e309',
  'true',
  'null',
  '[]',
  '{}',
  '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '9999-12-31T23:59:59.999Z',
  '0000-00-00',
  '2026-02-30',
  'lead.*',
  '*',
  'a'.repeat(300),
  'b'.repeat(5_000),
];

/** Header values must be Latin-1 without control characters, or fetch refuses to send them. */
const headerSafe = (s: string) => /^[\x20-\x7e]*$/.test(s);

/** Hostile text; `long` is the length of the longest (a URL keeps it to what a server reads in its head). */
export const hostileText = (long = 20_000): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.string({ minLength: long, maxLength: long }) },
  );

/** A JSON value nested `depth` deep, built as text (JSON.stringify would itself recurse). */
export const nested = (depth: number, open = '[', close = ']', inner = '1') =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** Any JSON value of a wrong kind for most fields, hostile text included. */
export const hostileValue = (ids: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    hostileText(),
    fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 31, -(2 ** 53), Number.MAX_VALUE, [], {}, [null], { '': '' }),
    fc.constantFrom(...ids),
    fc.array(fc.constantFrom(...ids), { minLength: 1, maxLength: 3 }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.integer({ min: 0, max: 20 }).map((n) => ({ $gt: '', $where: 'sleep(1000)', n })),
  );

/** Server-owned or foreign fields a client must never set (mass assignment). */
export const massAssignment = (ids: readonly string[], foreignOrganizationId: string) =>
  fc.record(
    {
      organizationId: fc.constantFrom(foreignOrganizationId, ...ids),
      ownerId: fc.constantFrom(...ids),
      role: fc.constantFrom('admin', 'owner', 'superadmin'),
      id: fc.constantFrom(...ids),
      createdBy: fc.constantFrom(...ids),
      version: fc.integer(),
      score: fc.integer(),
      status: fc.constantFrom('active', 'disabled', 'won'),
      isAdmin: fc.constant(true),
      permissions: fc.constant(['*']),
      scopes: fc.constant(['users:manage', 'api_keys:manage']),
    },
    { requiredKeys: [] },
  );

/** Names a field or parameter may carry an id in → the id of that kind to send (or null: any id will do). */
export type Refer = (name: string) => string | null;

/** A value of the parameter's own type, to get past validation; with `hostile`, often something else entirely. */
export function parameterValue(
  parameter: Parameter,
  ids: readonly string[],
  refer: Refer,
  hostile = true,
): fc.Arbitrary<string> {
  const { schema } = parameter;
  const types = ([] as string[]).concat(schema.type ?? 'string');
  const valid: fc.Arbitrary<string>[] = [];
  const own = refer(parameter.name);
  if (Array.isArray(schema.enum)) valid.push(fc.constantFrom(...schema.enum.map(String)));
  else if (own !== null) valid.push(fc.constant(own));
  else if (schema.example !== undefined) valid.push(fc.constant(String(schema.example)));
  if (schema.format === 'uuid') valid.push(hostile ? fc.constantFrom(...ids) : fc.uuid());
  if (schema.format === 'email') valid.push(fc.emailAddress());
  if (schema.format === 'date') valid.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
  if (schema.format === 'date-time') valid.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
  if (types.includes('integer')) {
    valid.push(fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 10_000 }).map(String));
  }
  if (types.includes('boolean')) valid.push(fc.constantFrom('true', 'false'));
  if (valid.length === 0) valid.push(fc.string({ minLength: schema.minLength ?? 0, maxLength: 20 }));
  const value = hostile
    ? fc.oneof({ weight: 3, arbitrary: fc.oneof(...valid) }, { weight: 2, arbitrary: hostileText(1_000) })
    : fc.oneof({ weight: 3, arbitrary: valid[0]! }, { weight: 1, arbitrary: fc.oneof(...valid) });
  return parameter.in === 'header' ? value.filter(headerSafe) : value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Deep-copies a JSON example, replacing each UUID in it by the id its field names (`leadId` → the lead), else by
 * one drawn from `pick`, so references resolve and the request reaches the service.
 */
function withIds(example: unknown, refer: Refer, pick: () => string, key = ''): unknown {
  if (typeof example === 'string') return UUID.test(example) ? (refer(key) ?? pick()) : example;
  if (Array.isArray(example)) return example.map((v) => withIds(v, refer, pick, key));
  if (example && typeof example === 'object') {
    return Object.fromEntries(Object.entries(example).map(([k, v]) => [k, withIds(v, refer, pick, k)]));
  }
  return example;
}

type Mutation =
  | { kind: 'set'; key: string; value: unknown }
  | { kind: 'drop'; key: string }
  | { kind: 'extra'; fields: Record<string, unknown> };

/**
 * A JSON body for the operation, as raw text: the documented example with its ids swapped for real ones and up to
 * three mutations (a field set to a hostile value, a field dropped, unknown or server-owned fields added), or a
 * body that is not what any schema allows at all (random JSON, deep nesting, not JSON, a huge string).
 */
export function jsonBody(
  op: Operation,
  ids: readonly string[],
  foreignOrganizationId: string,
  refer: Refer,
  hostile = true,
): fc.Arbitrary<string> {
  const keys = [...new Set([...op.properties, ...op.examples.flatMap((e) => Object.keys((e as object) ?? {}))])];
  const key = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('firstName');
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), key, value: hostileValue(ids) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), key }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('extra' as const), fields: massAssignment(ids, foreignOrganizationId) }),
    },
  );
  const mutated = fc
    .tuple(
      fc.constantFrom(...op.examples),
      fc.array(fc.constantFrom(...ids), { minLength: 8, maxLength: 8 }),
      fc.array(mutation, { maxLength: hostile ? 3 : 1 }),
    )
    .map(([example, picks, mutations]) => {
      let i = 0;
      const body = withIds(example, refer, () => picks[i++ % picks.length]!);
      if (!body || typeof body !== 'object' || Array.isArray(body)) return JSON.stringify(body);
      const target = body as Record<string, unknown>;
      for (const m of mutations) {
        if (m.kind === 'set') target[m.key] = m.value;
        else if (m.kind === 'drop') delete target[m.key];
        else Object.assign(target, m.fields);
      }
      return JSON.stringify(target);
    });
  const malformed = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.constantFrom(
      nested(10_000),
      `{"a":${nested(10_000, '{"a":', '}')}}`,
      '{"firstName":"Ada"',
      '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}',
      '{"a":1,"a":2}',
      'null',
      '',
      'not json',
      '\u0000',
      `"${'x'.repeat(900_000)}"`,
    ),
  );
  return hostile ? fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: malformed }) : mutated;
}

/** A multipart body with a hostile file name, type, content and form fields. */
export function multipartBody(ids: readonly string[]): fc.Arbitrary<() => FormData> {
  return fc
    .record({
      name: hostileText(),
      type: fc.constantFrom('text/csv', 'application/x-msdownload', 'text/html', '', 'image/svg+xml', '../../x'),
      content: fc.oneof(hostileText(), fc.constant('firstName,lastName\nAda,Lovelace\n')),
      entity: fc.oneof(fc.constantFrom('lead', 'contact', 'company', 'deal'), hostileText()),
      extra: fc.constantFrom(...ids),
      withFile: fc.boolean(),
    })
    .map((p) => () => {
      const form = new FormData();
      if (p.withFile) form.append('file', new Blob([p.content], { type: p.type }), p.name || 'x');
      form.append('entity', p.entity);
      form.append('organizationId', p.extra);
      return form;
    });
}
