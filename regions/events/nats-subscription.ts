import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { type BusEvent, type Subscription, typeMatches } from './bus.ts';
import { decodeEvent, type Outcome, pause, type ResolvedSubscribeOptions, settle } from './settle.ts';

export type NatsConsumerContext = {
  js: JetStreamClient;
  stream: string;
  group: string;
  options: ResolvedSubscribeOptions;
  /** Whether the consumer's filter could not express every type (nats-server < 2.10 has one filter subject). */
  filterInClient: boolean;
  ackWaitMs: number;
  /** Creates (or updates) the durable consumer; called before each consume. */
  ensureConsumer(): Promise<void>;
  deadLetter(event: BusEvent, error: string, attempts: number): Promise<void>;
  flush(): Promise<void>;
  onError(error: unknown, context: string): void;
};

/**
 * One subscriber of a group: pulls from the group's durable consumer and handles its messages one at a time, in
 * order. Retries happen in place (the message is kept in progress with `working()`), so the messages after it wait;
 * with the consumer's max_ack_pending of 1 no other process of the group gets ahead either. Stopping unsubscribes the
 * pull before the last ack leaves, so the server has no request to hand the next message to, and any message already
 * buffered here is nak'ed back at once instead of waiting out the ack wait.
 */
export function natsSubscription(ctx: NatsConsumerContext, handler: (event: BusEvent) => Promise<void>): Subscription {
  const stopping = new AbortController();
  let messages: ConsumerMessages | undefined;
  let busy = false;

  const handle = async (msg: JsMsg) => {
    let event: BusEvent;
    try {
      event = decodeEvent(msg.string());
    } catch (error) {
      ctx.onError(error, `group ${ctx.group}: message ${msg.seq} is not an event; terminated`);
      msg.term();
      return;
    }
    if (ctx.filterInClient && !typeMatches(ctx.options.types, event.type)) {
      msg.ack();
      return;
    }
    const keepAlive = setInterval(() => msg.working(), Math.max(ctx.ackWaitMs / 3, 100));
    let outcome: Outcome;
    try {
      outcome = await settle(event, handler, {
        ...ctx.options,
        // An earlier delivery that ended without an ack (a killed or stopped process) counts as an attempt.
        priorAttempts: msg.info.deliveryCount - 1,
        stopping: stopping.signal,
      });
      if (outcome.kind === 'dead') await ctx.deadLetter(event, outcome.error, outcome.attempts);
    } catch (error) {
      ctx.onError(error, `group ${ctx.group}: keeping the dead letter of ${event.id}`);
      outcome = { kind: 'abandoned', attempts: 0 };
    } finally {
      clearInterval(keepAlive);
    }
    if (stopping.signal.aborted) messages?.stop();
    if (outcome.kind === 'settled') msg.ack();
    // No reason on the term: nats-server before 2.10 ignores a `+TERM` that carries one (the dead letter has it).
    else if (outcome.kind === 'dead') msg.term();
    else msg.nak();
  };

  const loop = (async () => {
    for (let failures = 0; !stopping.signal.aborted; ) {
      try {
        await ctx.ensureConsumer();
        const consumer = await ctx.js.consumers.get(ctx.stream, ctx.group);
        messages = await consumer.consume({ max_messages: ctx.options.batchSize });
        if (stopping.signal.aborted) messages.stop();
        for await (const msg of messages) {
          if (stopping.signal.aborted) {
            msg.nak();
            continue;
          }
          busy = true;
          try {
            await handle(msg);
          } finally {
            busy = false;
          }
        }
        failures = 0;
      } catch (error) {
        failures++;
        ctx.onError(error, `consuming group ${ctx.group}`);
      }
      if (!stopping.signal.aborted) await pause(Math.min(100 * 2 ** failures, 5_000), stopping.signal);
    }
    await ctx.flush().catch((error) => ctx.onError(error, `flushing the acks of group ${ctx.group}`));
  })();

  return {
    async stop() {
      stopping.abort();
      // Busy: the handler in hand finishes, then `handle` unsubscribes before acking.
      if (!busy) messages?.stop();
      await loop;
    },
  };
}
