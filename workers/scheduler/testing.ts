import { and, eq, inArray } from 'drizzle-orm';
import { notifications, outbox } from '../../db/schema/index.ts';
import { toBusEvent } from '../../regions/events/relay.ts';
import type { TestStack } from '../../test/support/stack.ts';

/** Shared set-up of the scheduler suites: the events the relay would publish, and who got told what. */

type Session = { organization: { id: string } };

const shards = (stack: TestStack) => stack.regions.us!.ctx.shards;

/** The bus events of these aggregates, oldest first, as the relay publishes them. */
export async function eventsOf(stack: TestStack, session: Session, aggregateIds: string[], type?: string) {
  const rows = await shards(stack).withTenant(session.organization.id, (tx) =>
    tx
      .select()
      .from(outbox)
      .where(and(inArray(outbox.aggregateId, aggregateIds), type ? eq(outbox.eventType, type) : undefined))
      .orderBy(outbox.id),
  );
  return rows.map((row) => toBusEvent('us', row));
}

/** A member's notifications of one type, oldest first. */
export const notificationsOf = (stack: TestStack, session: Session, userId: string, type: string) =>
  shards(stack).withTenant(session.organization.id, (tx) =>
    tx
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.type, type as never)))
      .orderBy(notifications.seq),
  );
