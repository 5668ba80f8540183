import { and, eq } from 'drizzle-orm';
import { newId } from '../../db/ids.ts';
import { activities, contacts, deals, leads, users } from '../../db/schema/index.ts';
import type { apiClient } from '../../test/support/api.ts';
import type { TestStack } from '../../test/support/stack.ts';
import { ensureDefaultPipeline } from '../pipelines/defaults.ts';

/**
 * Test data for the report suites, written straight to the organization's shard under its RLS scope: deals,
 * contacts and activities have services of their own that may not exist yet, and reports need rows back-dated
 * to chosen instants, which no API allows.
 */
export type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

type StageName = 'Qualification' | 'Needs analysis' | 'Proposal' | 'Negotiation' | 'Closed won' | 'Closed lost';

export type DealSeed = {
  stage: StageName;
  amount: string;
  currency?: string;
  ownerId?: string | null;
  createdAt: string;
  closedAt?: string;
  pipelineId?: string;
  stageId?: string;
};

export type LeadSeed = {
  createdAt: string;
  source?: string | null;
  ownerId?: string | null;
  /** Converted to a contact; with `deal`, also to a deal in that stage. */
  converted?: boolean;
  deal?: StageName;
};

export type ActivitySeed = {
  type: 'task' | 'call' | 'meeting' | 'note' | 'email';
  ownerId: string | null;
  createdAt: string;
  done?: boolean;
  completedAt?: string;
  startsAt?: string;
};

const statusOf = (stage: StageName) =>
  stage === 'Closed won' ? ('won' as const) : stage === 'Closed lost' ? ('lost' as const) : ('open' as const);

export function seeder(stack: TestStack, org: Session) {
  const organizationId = org.organization.id;
  const { shards } = stack.regions[org.organization.homeRegion]!.ctx;

  async function defaultStages() {
    return shards.withTenant(organizationId, (tx) => ensureDefaultPipeline(tx, organizationId));
  }

  async function seedDeals(seeds: readonly DealSeed[]): Promise<string[]> {
    const { pipeline, stages } = await defaultStages();
    const rows = seeds.map((seed) => ({
      organizationId,
      id: newId(),
      name: `Deal ${seed.amount}`,
      amount: seed.amount,
      currency: seed.currency ?? 'USD',
      pipelineId: seed.pipelineId ?? pipeline.id,
      stageId: seed.stageId ?? stages.find((s) => s.name === seed.stage)!.id,
      status: statusOf(seed.stage),
      closedAt: seed.closedAt ? new Date(seed.closedAt) : null,
      ownerId: seed.ownerId === undefined ? org.user.id : seed.ownerId,
      createdAt: new Date(seed.createdAt),
    }));
    if (rows.length) await shards.withTenant(organizationId, (tx) => tx.insert(deals).values(rows));
    return rows.map((r) => r.id);
  }

  async function seedLeads(seeds: readonly LeadSeed[]): Promise<void> {
    const { pipeline, stages } = await defaultStages();
    await shards.withTenant(organizationId, async (tx) => {
      for (const seed of seeds) {
        const ownerId = seed.ownerId === undefined ? org.user.id : seed.ownerId;
        const createdAt = new Date(seed.createdAt);
        let contactId: string | null = null;
        let dealId: string | null = null;
        if (seed.converted) {
          contactId = newId();
          await tx.insert(contacts).values({ organizationId, id: contactId, firstName: 'Converted', ownerId });
        }
        if (seed.converted && seed.deal) {
          dealId = newId();
          const stage = stages.find((s) => s.name === seed.deal)!;
          await tx.insert(deals).values({
            organizationId,
            id: dealId,
            name: 'From a lead',
            amount: '100.00',
            pipelineId: pipeline.id,
            stageId: stage.id,
            status: statusOf(seed.deal),
            closedAt: statusOf(seed.deal) === 'open' ? null : createdAt,
            ownerId,
            contactId,
            createdAt,
          });
        }
        await tx.insert(leads).values({
          organizationId,
          id: newId(),
          firstName: 'Seeded',
          source: seed.source ?? null,
          status: seed.converted ? 'converted' : 'new',
          ownerId,
          convertedAt: seed.converted ? createdAt : null,
          convertedContactId: contactId,
          convertedDealId: dealId,
          createdAt,
        });
      }
    });
  }

  async function seedActivities(seeds: readonly ActivitySeed[]): Promise<void> {
    const rows = seeds.map((seed) => ({
      organizationId,
      id: newId(),
      type: seed.type,
      subject: `A ${seed.type}`,
      ownerId: seed.ownerId,
      done: seed.done ?? false,
      completedAt: seed.completedAt ? new Date(seed.completedAt) : null,
      startsAt: seed.startsAt ? new Date(seed.startsAt) : null,
      endsAt: seed.startsAt ? new Date(Date.parse(seed.startsAt) + 3_600_000) : null,
      createdAt: new Date(seed.createdAt),
    }));
    if (rows.length) await shards.withTenant(organizationId, (tx) => tx.insert(activities).values(rows));
  }

  async function nameUser(userId: string, name: string) {
    await shards.withTenant(organizationId, (tx) =>
      tx
        .update(users)
        .set({ name })
        .where(and(eq(users.organizationId, organizationId), eq(users.id, userId))),
    );
  }

  return { defaultStages, seedDeals, seedLeads, seedActivities, nameUser };
}

/** Today's date in UTC, and days around it, for data made through the API (stamped with the current time). */
export const today = () => new Date().toISOString().slice(0, 10);
export const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
