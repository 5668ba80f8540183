import { jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { ackProblem, publishToStream } from './nats-publish.ts';

const reply = (body: string, status?: { code: number; description: string }) => {
  const data = new TextEncoder().encode(body);
  const msgHeaders = status ? headers(status.code, status.description) : undefined;
  return { data, headers: msgHeaders, json: <T>() => JSON.parse(body) as T };
};

describe('ackProblem', () => {
  it('accepts a PubAck, a duplicate one too', () => {
    expect(ackProblem(reply('{"stream":"S","seq":4}'))).toBeUndefined();
    expect(ackProblem(reply('{"stream":"S","seq":4,"duplicate":true}'))).toBeUndefined();
  });

  it('names what went wrong otherwise', () => {
    expect(ackProblem(reply('', { code: 503, description: 'No Responders' }))).toBe('status 503 No Responders');
    expect(ackProblem(reply('{"error":{"code":400,"description":"bad"}}'))).toBe('400 bad');
    expect(ackProblem(reply('{"seq":4}'))).toBe('invalid acknowledgement');
    expect(ackProblem(reply('not json'))).toBe('unreadable acknowledgement');
  });
});

const natsUrl = process.env.TEST_NATS_URL ?? '';

describe.skipIf(!natsUrl)('publishToStream on NATS JetStream', () => {
  const stamp = `${Date.now()}`;
  const stream = `TEST_PUBLISH_${stamp}`;
  const root = `publish-${stamp}`;
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${root}.>`] });
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => false);
    await nc.close();
  });

  const messages = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ subject: `${root}.e`, data: `${i}`, msgId: newId() }));

  it('stores every message in order, more than a window of them, and drops a republished id', async () => {
    const batch = messages(250);
    await publishToStream(nc, batch, { window: 40, stallTimeoutMs: 10_000 });
    await publishToStream(nc, batch.slice(100, 150), { window: 40, stallTimeoutMs: 10_000 });
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    expect(info.state.messages).toBe(250);
    const stored: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      stored.push((await jsm.streams.getMessage(stream, { seq }))?.string() ?? '');
    }
    expect(stored).toEqual(batch.map((m) => m.data));
  });

  it('rejects, counting them, when no stream takes the subject', async () => {
    await expect(
      publishToStream(nc, [{ subject: `nowhere-${stamp}.e`, data: 'x', msgId: newId() }], {
        window: 10,
        stallTimeoutMs: 5_000,
      }),
    ).rejects.toThrow(/1 of 1 events were not stored: status 503/);
  });
});
