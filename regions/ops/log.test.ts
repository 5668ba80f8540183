import { DrizzleQueryError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { createLogger } from './log.ts';

type Line = Record<string, unknown> & { msg?: string; level?: number };

/** A pino destination that keeps every line, for reading back what was logged. */
function memoryDestination() {
  const lines: string[] = [];
  return {
    lines,
    write(line: string) {
      lines.push(line);
    },
    parsed: () => lines.map((line) => JSON.parse(line) as Line),
  };
}

const destination = memoryDestination();
let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ log: createLogger({ level: 'debug', destination }) });
  api = apiClient(stack.edgeUrl);
}, 600_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the request log', () => {
  it('names request, organization, region and route, and no person, password or token', async () => {
    const owner = await api.signup('log-owner');
    const email = owner.user.email;
    const login = await api.call('POST', '/api/v1/auth/login', { body: { email, password: owner.password } });
    expect(login.status, JSON.stringify(login.data)).toBe(200);
    const lead = {
      firstName: 'Grace',
      lastName: 'Hopperlogged',
      email: 'grace.logged@navy.example',
      phone: '+1 555 0100 4242',
      company: 'Logged Navy Yard',
    };
    const made = await api.call('POST', '/api/v1/leads', { token: owner.token, body: lead });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    // Failing requests that reach the region: a wrong password (401) and a lead that is not there (404).
    const refused = await api.call('POST', '/api/v1/auth/login', {
      body: { email, password: 'Wr0ng-Horse-Battery!' },
    });
    expect(refused.status).toBe(401);
    const missing = await api.call('GET', '/api/v1/leads/0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e', {
      token: owner.token,
    });
    expect(missing.status).toBe(404);

    const text = destination.lines.join('');
    const secrets = [
      email,
      owner.password,
      'Wr0ng-Horse-Battery!',
      owner.token,
      login.data.accessToken as string,
      owner.refreshToken,
      login.data.refreshToken as string,
      lead.firstName,
      lead.lastName,
      lead.email,
      lead.phone,
      lead.company,
    ];
    for (const secret of secrets) expect(text, `the log holds ${secret.slice(0, 12)}…`).not.toContain(secret);

    const requests = destination.parsed().filter((line) => line.msg === 'request');
    const find = (method: string, route: string, status: number) =>
      requests.find((line) => line.method === method && line.route === route && line.status === status);
    const organizationId = owner.organization.id;
    const region = owner.organization.homeRegion;

    const created = find('POST', '/api/v1/leads', 201);
    expect(created).toMatchObject({ organizationId, region, requestId: made.headers.get('x-request-id') });
    expect(find('GET', '/api/v1/leads/:id', 404)).toMatchObject({
      organizationId,
      region,
      requestId: missing.headers.get('x-request-id'),
    });
    for (const [method, route, status] of [
      ['POST', '/api/v1/auth/signup', 201],
      ['POST', '/api/v1/auth/login', 200],
      ['POST', '/api/v1/auth/login', 401],
    ] as const) {
      const line = find(method, route, status);
      expect(line, `${method} ${route} ${status}`).toBeDefined();
      expect(typeof line!.requestId).toBe('string');
      expect(line!.region).toBe(region);
      expect(typeof line!.durationMs).toBe('number');
    }
    // Every request line carries its request id and route; none carries a URL, headers or a body.
    for (const line of requests) {
      expect(line).toHaveProperty('route');
      expect(line).toHaveProperty('region');
      expect(line).not.toHaveProperty('url');
      expect(line).not.toHaveProperty('headers');
      expect(line).not.toHaveProperty('body');
      if (String(line.route).startsWith('/api/')) expect(typeof line.requestId).toBe('string');
    }
  });
});

describe('the logger', () => {
  it('redacts personal keys wherever an object is logged whole', () => {
    const memory = memoryDestination();
    const log = createLogger({ level: 'info', destination: memory });
    log.info(
      {
        email: 'ada@example.com',
        password: 'Corr3ct-Horse-Battery!',
        user: { email: 'ada@example.com', firstName: 'Ada', phone: '+44 20 7946 0000' },
        headers: { authorization: 'Bearer eyJhbGciOi', cookie: 'crm_at=secret' },
        userId: 'kept-id',
      },
      'whole objects',
    );
    const [line] = memory.parsed();
    expect(line).toMatchObject({ email: '[redacted]', password: '[redacted]', userId: 'kept-id' });
    expect(memory.lines[0]).not.toMatch(/ada@example\.com|Corr3ct|\+44|eyJhbGciOi|crm_at=secret|"Ada"/);
  });

  it('keeps a failed query’s statement but not its parameters, nor the database’s detail', () => {
    const memory = memoryDestination();
    const log = createLogger({ level: 'info', destination: memory });
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
      code: '23505',
      detail: 'Key (email)=(ada@example.com) already exists.',
    });
    const error = new DrizzleQueryError('insert into "users" ("email") values ($1)', ['ada@example.com'], cause);
    log.error({ err: error }, 'unhandled error');
    const [line] = memory.parsed() as [Line & { err: Record<string, unknown> }];
    expect(memory.lines[0]).not.toContain('ada@example.com');
    // The statement and the cause's message stay: they are what tells what failed.
    expect(line.err.message).toBe(
      'Failed query: insert into "users" ("email") values ($1): duplicate key value violates unique constraint "users_email_key"',
    );
    expect(line.err.params).toBe('[redacted]');
    expect(String(line.err.stack)).toContain('Failed query: insert into "users"');
  });
});
