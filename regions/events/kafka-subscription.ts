import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { type BusEvent, type Subscription, typeMatches } from './bus.ts';
import { decodeEvent, type Handling, pause, type ResolvedSubscribeOptions, settle, settledTogether } from './settle.ts';

export type KafkaConsumerContext = {
  kafka: Kafka;
  group: string;
  options: ResolvedSubscribeOptions;
  /** The topics of the subscription's types that exist now (exact types are created up front). */
  topics(): Promise<string[]>;
  /** How often to look for new topics of a `lead.*` pattern; a new one restarts the consumer to join it. */
  topicRefreshMs: number;
  /** Lets the consumer ask the broker to create a missing topic of an exact type (when the bus does not). */
  autoCreateTopics: boolean;
  sessionTimeoutMs: number;
  deadLetter(event: BusEvent, error: string, attempts: number): Promise<void>;
  onError(error: unknown, context: string): void;
};

/**
 * One member of a Kafka consumer group. Partitions are handled one at a time (partitionsConsumedConcurrently 1) and
 * a partition's messages in offset order; retries happen in place, so the messages after a failing one wait. With a
 * batch handler a fetched batch's events go to it together first, and one by one only when it throws. An
 * offset is resolved only once its handler resolved (or its dead letter was written), and only resolved offsets are
 * committed (every second, after each batch, and when the consumer stops), so a killed process resumes from its last
 * commit: at least once.
 */
export function kafkaSubscription(ctx: KafkaConsumerContext, handling: Handling): Subscription {
  const stopping = new AbortController();
  let consumer: Consumer | undefined;
  let subscribed: string[] = [];
  let restart: (() => void) | undefined;

  const eachBatch = async ({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
    commitOffsetsIfNecessary,
  }: EachBatchPayload) => {
    const running = () => isRunning() && !isStale() && !stopping.signal.aborted;
    const beating = <T>(work: () => Promise<T>) => {
      const beat = setInterval(() => heartbeat().catch(() => {}), Math.max(ctx.sessionTimeoutMs / 10, 500));
      return work().finally(() => clearInterval(beat));
    };
    const messages = batch.messages.map((message) => {
      try {
        const event = decodeEvent(message.value?.toString('utf8') ?? '');
        return { offset: message.offset, event: typeMatches(ctx.options.types, event.type) ? event : undefined };
      } catch (error) {
        ctx.onError(
          error,
          `group ${ctx.group}: ${batch.topic}/${batch.partition}@${message.offset} is not an event; skipped`,
        );
        return { offset: message.offset, event: undefined };
      }
    });
    // kafkajs sizes its batches in bytes: the handler gets at most batchSize events at a time.
    for (const chunk of chunksOf(messages, ctx.options.batchSize)) {
      const events = chunk.flatMap((m) => (m.event ? [m.event] : []));
      if (!running()) return;
      const together = await beating(() =>
        settledTogether(events, handling, (error) =>
          ctx.onError(error, `group ${ctx.group}: a batch of ${events.length} failed; handling its events one by one`),
        ),
      );
      for (const { offset, event } of chunk) {
        if (!together && event) {
          if (!running()) return;
          const outcome = await beating(() =>
            settle(event, handling.one, { ...ctx.options, stopping: stopping.signal }),
          );
          if (outcome.kind === 'abandoned') return;
          // A dead letter that cannot be written throws: kafkajs restarts from the last commit and tries again.
          if (outcome.kind === 'dead') await ctx.deadLetter(event, outcome.error, outcome.attempts);
        }
        resolveOffset(offset);
        if (!together) {
          await commitOffsetsIfNecessary();
          await heartbeat();
        }
      }
      if (together) {
        await commitOffsetsIfNecessary();
        await heartbeat();
      }
    }
  };

  const loop = (async () => {
    for (let failures = 0; !stopping.signal.aborted; ) {
      try {
        subscribed = await ctx.topics();
        if (subscribed.length === 0) {
          // Nothing to read yet (no event of a `lead.*` pattern has been published): look again later.
          await pause(ctx.topicRefreshMs, stopping.signal);
          continue;
        }
        consumer = ctx.kafka.consumer({
          groupId: ctx.group,
          allowAutoTopicCreation: ctx.autoCreateTopics,
          maxWaitTimeInMs: 500,
          sessionTimeout: ctx.sessionTimeoutMs,
          heartbeatInterval: Math.max(Math.floor(ctx.sessionTimeoutMs / 10), 500),
        });
        const member = consumer;
        // kafkajs restarts a crashed consumer itself when the error is retriable; otherwise this loop makes a new one.
        const crashed = new Promise<void>((resolve) =>
          member.on(member.events.CRASH, (crash) => {
            if (!crash.payload.restart) {
              ctx.onError(crash.payload.error, `group ${ctx.group} crashed`);
              resolve();
            }
          }),
        );
        await consumer.connect();
        await consumer.subscribe({ topics: subscribed, fromBeginning: true });
        await consumer.run({
          autoCommit: true,
          autoCommitInterval: 1_000,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: 1,
          eachBatch,
        });
        failures = 0;
        // Runs until stopped, crashed beyond kafkajs's own retries, or a new topic of the patterns appeared.
        await new Promise<void>((resolve) => {
          const done = () => {
            stopping.signal.removeEventListener('abort', done);
            resolve();
          };
          restart = done;
          void crashed.then(done);
          if (stopping.signal.aborted) done();
          else stopping.signal.addEventListener('abort', done, { once: true });
        });
      } catch (error) {
        failures++;
        ctx.onError(error, `consuming group ${ctx.group}`);
        await pause(Math.min(250 * 2 ** failures, 10_000), stopping.signal);
      } finally {
        restart = undefined;
        // Stop waits for the batch in hand, commits what was resolved, then leaves the group.
        await consumer?.disconnect().catch((error) => ctx.onError(error, `leaving group ${ctx.group}`));
        consumer = undefined;
      }
    }
  })();

  // Exact types' topics exist from the start; a pattern (or no filter) can gain topics as new types appear.
  const patterned = !ctx.options.types || ctx.options.types.some((t) => t.endsWith('.*'));
  const refresh = patterned
    ? setInterval(() => {
        if (!restart) return;
        ctx
          .topics()
          .then((topics) => {
            if (topics.some((topic) => !subscribed.includes(topic))) restart?.();
          })
          .catch((error) => ctx.onError(error, `listing the topics of group ${ctx.group}`));
      }, ctx.topicRefreshMs)
    : undefined;

  return {
    async stop() {
      clearInterval(refresh);
      stopping.abort();
      await loop;
    },
  };
}

/** Consecutive runs of the messages holding at most `size` events each (messages that are no event ride along). */
function chunksOf<T extends { event?: unknown }>(messages: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let events = 0;
  for (const message of messages) {
    if (message.event && events === size) {
      chunks.push(current);
      current = [];
      events = 0;
    }
    current.push(message);
    if (message.event) events++;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
