import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

type Reply = { result: unknown } | { error: string };

/**
 * A small server speaking Upstash's REST protocol, backed by a real Redis: NOT the Upstash service, which cannot
 * be reached from here. It covers what `@upstash/redis` sends: a command as a JSON array to `/`, several to
 * `/pipeline` or `/multi-exec` (one transaction), the Bearer token, and `Upstash-Encoding: base64` (string results
 * base64-encoded, except `OK`). Errors answer like Upstash's: `{ "error": "…" }`, 400 for a single command.
 */
export async function startUpstashRestServer(redisUrl: string, token: string) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });

  const encode = (value: unknown, base64: boolean): unknown => {
    if (!base64) return value;
    if (typeof value === 'string') return value === 'OK' ? value : Buffer.from(value, 'utf8').toString('base64');
    if (Array.isArray(value)) return value.map((v) => encode(v, base64));
    return value;
  };
  const isCommand = (value: unknown): value is (string | number)[] =>
    Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' || typeof v === 'number');

  async function one(command: (string | number)[], base64: boolean): Promise<Reply> {
    try {
      const [name, ...args] = command;
      return { result: encode(await redis.call(String(name), ...args), base64) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  async function transaction(commands: (string | number)[][], base64: boolean): Promise<Reply[]> {
    const multi = redis.multi();
    for (const [name, ...args] of commands) multi.call(String(name), ...args);
    const results = (await multi.exec()) ?? [];
    return results.map(([error, value]) => (error ? { error: error.message } : { result: encode(value, base64) }));
  }

  async function answer(req: IncomingMessage, res: ServerResponse) {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'Unauthorized' });
    if (req.method !== 'POST') return send(405, { error: 'Method not allowed' });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(400, { error: 'ERR failed to parse command' });
    }
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path === '/') {
      if (!isCommand(body)) return send(400, { error: 'ERR failed to parse command' });
      const reply = await one(body, base64);
      return send('error' in reply ? 400 : 200, reply);
    }
    if (path === '/pipeline' || path === '/multi-exec') {
      if (!Array.isArray(body) || !body.every(isCommand)) return send(400, { error: 'ERR failed to parse commands' });
      const commands = body as (string | number)[][];
      if (path === '/multi-exec') return send(200, await transaction(commands, base64));
      const replies: Reply[] = [];
      for (const command of commands) replies.push(await one(command, base64));
      return send(200, replies);
    }
    return send(404, { error: 'Not found' });
  }

  const server = createServer((req, res) => {
    answer(req, res).catch((error) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await redis.quit();
    },
  };
}
