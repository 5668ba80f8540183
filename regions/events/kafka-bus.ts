import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, logLevel, Partitioners } from 'kafkajs';
import type { BusEvent, DeadLetter, EventBus, SubscribeOptions, Subscription } from './bus.ts';
import { kafkaSubscription } from './kafka-subscription.ts';
import {
  assertGroupName,
  assertPublishable,
  encodeEvent,
  type Handling,
  inBatches,
  oneByOne,
  resolveSubscribeOptions,
  tracked,
} from './settle.ts';

export type KafkaBusOptions = {
  brokers: string[];
  clientId?: string;
  /** First token of every topic: events on `<prefix>.<type>`, dead letters on `<prefix>.deadletter.<group>`. */
  topicPrefix?: string;
  /** Partitions of a topic the bus creates; one organization's events always share one (its id is the key). */
  partitions?: number;
  replicationFactor?: number;
  /**
   * Whether the bus creates its topics (default). false: they are provisioned ahead or the broker auto-creates
   * them on first use (for principals without the CreateTopics ACL).
   */
  manageTopics?: boolean;
  /** The idempotent producer (default) needs the IdempotentWrite ACL; false drops it and its retry dedupe. */
  idempotent?: boolean;
  topicRefreshMs?: number;
  /** How long the group coordinator waits for a silent member before it rebalances its partitions away. */
  sessionTimeoutMs?: number;
  onError?: (error: unknown, context: string) => void;
};

/**
 * Kafka through kafkajs. A topic per event type (`crm.lead.created`), the organization id as message key (so one
 * organization's events of a type share a partition, in order) and the event id in the `event-id` header. A group is
 * a Kafka consumer group subscribed to its types' topics (`lead.*` → every existing `crm.lead.` topic, rechecked for
 * new ones); see ./kafka-subscription.ts for commits and retries. Dead letters go to `crm.deadletter.<group>`.
 *
 * Limits, by Kafka's design: no dedupe window (the idempotent producer only drops its own retries; a republished id
 * reaches a group again, and consumers are idempotent on the id); order per organization holds within one event
 * type, since each type is its own topic; lag() knows the topics of groups subscribed through this bus instance and
 * those with committed offsets.
 */
export async function openKafkaBus(options: KafkaBusOptions): Promise<EventBus> {
  const prefix = options.topicPrefix ?? 'crm';
  const partitions = options.partitions ?? 3;
  const onError = options.onError ?? ((error, context) => console.error(`kafka bus: ${context}`, error));
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) throw new Error(`kafka bus: bad topic prefix "${prefix}"`);
  if (options.brokers.length === 0) throw new Error('kafka bus: no brokers');
  const clientId = options.clientId ?? 'crm';
  const kafka = new Kafka({ clientId, brokers: options.brokers, logLevel: logLevel.WARN });
  const admin = kafka.admin();
  const manageTopics = options.manageTopics ?? true;
  const producer = kafka.producer({
    idempotent: options.idempotent ?? true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: !manageTopics,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await admin.connect();
  await producer.connect();

  const deadLetterTopic = (group: string) => `${prefix}.deadletter.${group}`;
  const topicOf = (type: string) => `${prefix}.${type}`;
  const known = new Set<string>();
  const patternsOf = new Map<string, string[] | undefined>();
  const running = new Set<Subscription>();
  let closed = false;

  const ensureTopics = async (topics: string[], numPartitions = partitions) => {
    const missing = topics.filter((topic) => !known.has(topic));
    if (missing.length === 0 || !manageTopics) return;
    const existing = new Set(await admin.listTopics());
    const create = missing.filter((topic) => !existing.has(topic));
    if (create.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: create.map((topic) => ({ topic, numPartitions, replicationFactor: options.replicationFactor ?? -1 })),
        });
      } catch (error) {
        // Another process created it first.
        if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
      }
    }
    for (const topic of missing) known.add(topic);
  };

  /** The event topics a type filter covers, dead letters excluded. */
  const topicsFor = async (types: string[] | undefined): Promise<string[]> => {
    const exact = (types ?? []).filter((t) => !t.endsWith('.*')).map(topicOf);
    await ensureTopics(exact);
    const prefixes = types?.filter((t) => t.endsWith('.*')).map((t) => `${prefix}.${t.slice(0, -1)}`) ?? [`${prefix}.`];
    if (prefixes.length === 0) return exact;
    const all = await admin.listTopics();
    const matched = all.filter((t) => prefixes.some((p) => t.startsWith(p)) && !t.startsWith(`${prefix}.deadletter.`));
    return [...new Set([...exact, ...matched])].sort();
  };

  function subscribe(group: string, subscribeOptions: SubscribeOptions, handling: Handling): Subscription {
    if (closed) throw new Error('kafka bus: closed');
    assertGroupName(group);
    const opts = resolveSubscribeOptions(subscribeOptions);
    patternsOf.set(group, opts.types);
    const subscription = kafkaSubscription(
      {
        kafka,
        group,
        options: opts,
        topics: () => topicsFor(opts.types),
        topicRefreshMs: options.topicRefreshMs ?? 5_000,
        autoCreateTopics: !manageTopics,
        sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
        async deadLetter(event, error, attempts) {
          await ensureTopics([deadLetterTopic(group)], 1);
          const letter: DeadLetter = { group, event, error, attempts, at: new Date().toISOString() };
          await producer.send({
            topic: deadLetterTopic(group),
            acks: -1,
            messages: [{ key: event.id, value: JSON.stringify(letter), headers: { 'event-id': event.id } }],
          });
        },
        onError,
      },
      handling,
    );
    return tracked(running, subscription);
  }

  return {
    kind: 'kafka',

    async publish(events) {
      if (closed) throw new Error('kafka bus: closed');
      if (events.length === 0) return;
      for (const event of events) {
        assertPublishable(event);
        if (event.type.startsWith('deadletter.')) throw new Error('kafka bus: "deadletter." types are reserved');
      }
      const byTopic = new Map<string, BusEvent[]>();
      for (const event of events) {
        const topic = topicOf(event.type);
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), event]);
      }
      await ensureTopics([...byTopic.keys()]);
      // acks -1: every in-sync replica holds the batch before it resolves. kafkajs keeps each partition's messages in
      // call order, and the idempotent producer (one request in flight) keeps retries from reordering them.
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, batch]) => ({
          topic,
          messages: batch.map((event) => ({
            key: event.organizationId,
            value: encodeEvent(event),
            headers: { 'event-id': event.id, 'event-type': event.type },
          })),
        })),
      });
    },

    subscribe: (group, subscribeOptions, handler) => subscribe(group, subscribeOptions, oneByOne(handler)),

    subscribeBatches: (group, subscribeOptions, handler) => subscribe(group, subscribeOptions, inBatches(handler)),

    lag: (group) => groupLag(admin, group, patternsOf.has(group) ? topicsFor(patternsOf.get(group)) : undefined),

    async deadLetters(group, limit = 100) {
      const topic = deadLetterTopic(group);
      if (!(await admin.listTopics()).includes(topic)) return [];
      // One partition when the bus created the topic; a broker's auto-created one may have more.
      const offsets = await admin.fetchTopicOffsets(topic);
      const want = Math.min(
        limit,
        offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0),
      );
      if (want <= 0) return [];
      // A throwaway group that commits nothing reads the topic from its start.
      const reader = kafka.consumer({ groupId: `${clientId}-deadletters-${randomUUID()}`, maxWaitTimeInMs: 200 });
      const letters: DeadLetter[] = [];
      try {
        await reader.connect();
        await reader.subscribe({ topics: [topic], fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`kafka bus: reading ${topic} timed out`)), 30_000);
          reader
            .run({
              autoCommit: false,
              eachMessage: async ({ message }) => {
                if (letters.length < want) letters.push(JSON.parse(message.value?.toString('utf8') ?? 'null'));
                if (letters.length >= want) {
                  clearTimeout(timer);
                  resolve();
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await reader.disconnect();
      }
      return letters;
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...running].map((s) => s.stop()));
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}

/**
 * Consumer lag: per partition, the log end minus the group's committed offset (or the partition's start when the
 * group has committed nothing there yet, as a new group reads from the beginning).
 */
async function groupLag(admin: Admin, group: string, subscribed?: Promise<string[]>): Promise<number> {
  // Every topic the group has committed on (brokers since 0.10.2 answer an OffsetFetch without topics), plus those
  // its subscriptions here cover, which may have no commit yet; then their committed offsets, asked by name.
  const discovered = await admin.fetchOffsets({ groupId: group }).catch(() => []);
  const topics = [...new Set([...discovered.map((c) => c.topic), ...((await subscribed) ?? [])])];
  if (topics.length === 0) return 0;
  const committed = await admin.fetchOffsets({ groupId: group, topics });
  let lag = 0;
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const positions = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      const at = Number(positions.find((p) => p.partition === end.partition)?.offset ?? -1);
      lag += Math.max(0, Number(end.high) - (at >= 0 ? at : Number(end.low)));
    }
  }
  return lag;
}
