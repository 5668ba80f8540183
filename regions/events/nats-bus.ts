import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';
import type { DeadLetter, EventBus, Subscription } from './bus.ts';
import { publishToStream } from './nats-publish.ts';
import { natsSubscription } from './nats-subscription.ts';
import { assertGroupName, assertPublishable, encodeEvent, resolveSubscribeOptions, tracked } from './settle.ts';

export type NatsBusOptions = {
  servers: string | string[];
  /** The JetStream stream of the events; its dead letters go to `<stream>_DEADLETTER`. */
  stream?: string;
  /** First subject token: events on `<root>.events.<region>.<type>`, dead letters on `<root>.deadletter.<group>`. */
  subjectRoot?: string;
  /** How long JetStream remembers a published id to drop a second publish of it. */
  duplicateWindowMs?: number;
  /** How long the server waits for an ack before it redelivers (a killed process); `working()` extends it. */
  ackWaitMs?: number;
  /**
   * Messages a group may have in hand at once, over all its processes. 1 (the default) keeps one organization's
   * events in order across several processes and restarts; more trades that order for throughput.
   */
  maxAckPending?: number;
  /** How long the stream keeps events (0: until limits, the default). */
  maxAgeMs?: number;
  /** How long a publish may wait without any PubAck before it fails (10 s by default); also the API timeout. */
  publishTimeoutMs?: number;
  onError?: (error: unknown, context: string) => void;
};

/** Publishes awaiting their ack at once: enough to keep the connection busy, few enough to bound memory. */
const PUBLISH_WINDOW = 1000;

/**
 * NATS JetStream. One stream holds every event on `crm.events.<region>.<type>` with the event id as `Nats-Msg-Id`,
 * so a second publish of an id inside the stream's duplicate window is dropped by the server.
 *
 * Publishing (./nats-publish.ts): a batch is sent without waiting between messages (up to PUBLISH_WINDOW acks
 * outstanding), then every PubAck is awaited; the first failed ack stops the sending. Order holds because the
 * client writes the publishes to its one connection in call order and the server stores one connection's
 * messages in the order it reads them, so the stream keeps the batch's order (and so each organization's). When any
 * ack fails, publish() rejects; the caller publishes the batch again and the duplicate window drops what was stored.
 * (Should one message fail while a later one of its organization was stored, as a timeout mid-batch might, the
 * retry stores it after that one: the one case where the order can break.)
 *
 * Consuming: a group is a durable pull consumer (explicit ack) filtered on its types, `lead.*` becoming
 * `crm.events.*.lead.>`; ordering, retries and stopping are in ./nats-subscription.ts. Lag is the consumer's
 * num_pending + num_ack_pending. Dead letters are kept in a second stream, `<stream>_DEADLETTER`, on
 * `crm.deadletter.<group>` (the event, the error, the attempts), and the message is terminated so the group moves on.
 */
export async function openNatsBus(options: NatsBusOptions): Promise<EventBus> {
  const stream = options.stream ?? 'CRM_EVENTS';
  const deadLetterStream = `${stream}_DEADLETTER`;
  const root = options.subjectRoot ?? 'crm';
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  const maxAckPending = options.maxAckPending ?? 1;
  const onError = options.onError ?? ((error, context) => console.error(`nats bus: ${context}`, error));
  if (!/^[A-Za-z0-9_-]+$/.test(stream)) throw new Error(`nats bus: bad stream name "${stream}"`);
  if (!/^[A-Za-z0-9_-]+$/.test(root)) throw new Error(`nats bus: bad subject root "${root}"`);

  const nc = await connect({ servers: options.servers, name: `crm-bus-${stream}` });
  try {
    const jsm = await jetstreamManager(nc);
    const publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
    const js = jetstream(nc, { timeout: publishTimeoutMs });
    await ensureStream(jsm, {
      name: stream,
      subjects: [`${root}.events.>`],
      duplicate_window: nanos(options.duplicateWindowMs ?? 120_000),
      max_age: nanos(options.maxAgeMs ?? 0),
    });
    // Direct get reads a group's dead letters by subject without a consumer.
    await ensureStream(jsm, { name: deadLetterStream, subjects: [`${root}.deadletter.>`], allow_direct: true });
    // One consumer can filter on several subjects from nats-server 2.10; before that a group with several type
    // patterns takes every event and skips (acks) the others itself, and its lag counts those until it has.
    const [major = 0, minor = 0] = (nc.info?.version ?? '0.0').split('.').map(Number);
    const manyFilters = major > 2 || (major === 2 && minor >= 10);
    const subjectFor = (pattern: string) =>
      `${root}.events.*.${pattern.endsWith('.*') ? `${pattern.slice(0, -2)}.>` : pattern}`;
    const running = new Set<Subscription>();
    let closed = false;

    const bus: EventBus = {
      kind: 'nats',

      async publish(events) {
        if (closed) throw new Error('nats bus: closed');
        for (const event of events) assertPublishable(event);
        const messages = events.map((event) => ({
          subject: `${root}.events.${event.region}.${event.type}`,
          data: encodeEvent(event),
          msgId: event.id,
        }));
        await publishToStream(nc, messages, { window: PUBLISH_WINDOW, stallTimeoutMs: publishTimeoutMs });
      },

      subscribe(group, subscribeOptions, handler) {
        if (closed) throw new Error('nats bus: closed');
        assertGroupName(group);
        const opts = resolveSubscribeOptions(subscribeOptions);
        const subjects = opts.types?.map(subjectFor) ?? [];
        const filterInClient = subjects.length > 1 && !manyFilters;
        const filter: Partial<ConsumerConfig> = filterInClient
          ? {}
          : subjects.length === 1
            ? { filter_subject: subjects[0] }
            : subjects.length > 1
              ? { filter_subjects: subjects }
              : {};
        const config: Partial<ConsumerConfig> = {
          durable_name: group,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: nanos(ackWaitMs),
          max_ack_pending: maxAckPending,
          max_deliver: -1,
          ...filter,
        };
        const subscription = natsSubscription(
          {
            js,
            stream,
            group,
            options: opts,
            filterInClient,
            ackWaitMs,
            ensureConsumer: () => ensureConsumer(jsm, stream, config),
            async deadLetter(event, error, attempts) {
              const letter: DeadLetter = { group, event, error, attempts, at: new Date().toISOString() };
              await js.publish(`${root}.deadletter.${group}`, JSON.stringify(letter), {
                msgID: `${group}:${event.id}`,
              });
            },
            flush: () => nc.flush(),
            onError,
          },
          handler,
        );
        return tracked(running, subscription);
      },

      // A group's consumer has one message in hand at a time (max_ack_pending 1 keeps each organization's order
      // across the group's processes), so its batches are of one event.
      subscribeBatches: (group, options, handler) => bus.subscribe(group, options, (event) => handler([event])),

      async lag(group) {
        try {
          const info = await jsm.consumers.info(stream, group);
          return info.num_pending + info.num_ack_pending;
        } catch (error) {
          if (isApiError(error, JetStreamApiCodes.ConsumerNotFound)) return 0;
          throw error;
        }
      },

      async deadLetters(group, limit = 100) {
        const letters: DeadLetter[] = [];
        for (let seq = 1; letters.length < limit; ) {
          const stored = await jsm.direct.getMessage(deadLetterStream, {
            seq,
            next_by_subj: `${root}.deadletter.${group}`,
          });
          if (!stored) break;
          letters.push(stored.json<DeadLetter>());
          seq = stored.seq + 1;
        }
        return letters;
      },

      async close() {
        if (closed) return;
        closed = true;
        await Promise.all([...running].map((s) => s.stop()));
        await nc.drain();
      },
    };
    return bus;
  } catch (error) {
    await nc.close();
    throw error;
  }
}

/** Creates the stream, or leaves an existing one as it is (its operator may have tuned it). */
async function ensureStream(
  jsm: JetStreamManager,
  config: { name: string; subjects: string[]; duplicate_window?: number; max_age?: number; allow_direct?: boolean },
): Promise<void> {
  try {
    await jsm.streams.info(config.name);
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
    // Two processes starting at once both add it; JetStream answers the second with the same stream.
    await jsm.streams.add({ ...config, storage: StorageType.File, retention: RetentionPolicy.Limits });
  }
}

/** Creates the group's durable consumer, or points an existing one at the subscription's types. */
async function ensureConsumer(jsm: JetStreamManager, stream: string, config: Partial<ConsumerConfig>) {
  const group = config.durable_name as string;
  try {
    const info = await jsm.consumers.info(stream, group);
    const same =
      (info.config.filter_subject ?? '') === (config.filter_subject ?? '') &&
      JSON.stringify(info.config.filter_subjects ?? []) === JSON.stringify(config.filter_subjects ?? []);
    if (!same) {
      await jsm.consumers.update(stream, group, {
        filter_subject: config.filter_subject ?? '',
        ...(config.filter_subjects ? { filter_subjects: config.filter_subjects } : {}),
      });
    }
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(stream, config);
  }
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}
