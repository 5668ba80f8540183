import { arrayContains, eq, gte, ilike, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { activities, companies, contacts, deals } from '../../db/schema/index.ts';
import type { ExportEntity, ExportQuery } from '../../openapi/schemas/exports.ts';
import { likeLiteral, startsWith } from '../companies/page.ts';
import { leadConditions, leadFilterConditions } from '../leads/filters.ts';

/**
 * Each list's filters as SQL, as the list endpoints apply them (an export must select exactly what its list shows).
 * `handled` names every filter understood here: a unit test checks it against the list's query schema, so a filter
 * added to a list cannot be silently ignored by its export.
 */
export const exportFilters: {
  [E in ExportEntity]: { handled: readonly string[]; conditions: (query: ExportQuery<E>) => (SQL | undefined)[] };
} = {
  leads: {
    handled: Object.keys(leadFilterConditions),
    // The list's own filter code, so the export holds exactly the leads the list shows.
    conditions: (q) => leadConditions(q),
  },
  contacts: {
    handled: ['ownerId', 'companyId', 'lifecycleStage', 'tag', 'email', 'q'],
    conditions: (q) => [
      q.ownerId ? eq(contacts.ownerId, q.ownerId) : undefined,
      q.companyId ? eq(contacts.companyId, q.companyId) : undefined,
      q.lifecycleStage ? eq(contacts.lifecycleStage, q.lifecycleStage) : undefined,
      q.tag ? arrayContains(contacts.tags, [q.tag]) : undefined,
      q.email ? eq(contacts.email, q.email.toLowerCase()) : undefined,
      q.q
        ? or(
            ilike(contacts.firstName, startsWith(q.q)),
            ilike(contacts.lastName, startsWith(q.q)),
            ilike(sql`${contacts.firstName} || ' ' || ${contacts.lastName}`, startsWith(q.q)),
            ilike(contacts.email, startsWith(q.q)),
          )
        : undefined,
    ],
  },
  companies: {
    handled: ['ownerId', 'industry', 'size', 'tag', 'domain', 'q'],
    conditions: (q) => [
      q.ownerId ? eq(companies.ownerId, q.ownerId) : undefined,
      q.industry ? ilike(companies.industry, likeLiteral(q.industry)) : undefined,
      q.size ? eq(companies.size, q.size) : undefined,
      q.tag ? arrayContains(companies.tags, [q.tag]) : undefined,
      q.domain ? eq(companies.domain, q.domain) : undefined,
      q.q ? ilike(companies.name, startsWith(q.q)) : undefined,
    ],
  },
  deals: {
    handled: [
      'pipelineId',
      'stageId',
      'status',
      'ownerId',
      'contactId',
      'companyId',
      'tag',
      'expectedCloseAfter',
      'expectedCloseBefore',
    ],
    conditions: (q) => [
      q.pipelineId ? eq(deals.pipelineId, q.pipelineId) : undefined,
      q.stageId ? eq(deals.stageId, q.stageId) : undefined,
      q.status ? eq(deals.status, q.status) : undefined,
      q.ownerId ? eq(deals.ownerId, q.ownerId) : undefined,
      q.contactId ? eq(deals.contactId, q.contactId) : undefined,
      q.companyId ? eq(deals.companyId, q.companyId) : undefined,
      q.tag ? arrayContains(deals.tags, [q.tag]) : undefined,
      q.expectedCloseAfter ? gte(deals.expectedCloseDate, q.expectedCloseAfter) : undefined,
      q.expectedCloseBefore ? lte(deals.expectedCloseDate, q.expectedCloseBefore) : undefined,
    ],
  },
  activities: {
    handled: ['type', 'ownerId', 'leadId', 'contactId', 'companyId', 'dealId', 'done', 'dueAfter', 'dueBefore'],
    conditions: (q) => [
      q.type ? eq(activities.type, q.type) : undefined,
      q.ownerId ? eq(activities.ownerId, q.ownerId) : undefined,
      q.leadId ? eq(activities.leadId, q.leadId) : undefined,
      q.contactId ? eq(activities.contactId, q.contactId) : undefined,
      q.companyId ? eq(activities.companyId, q.companyId) : undefined,
      q.dealId ? eq(activities.dealId, q.dealId) : undefined,
      // Only tasks are done or due, as in the list.
      q.done || q.dueAfter || q.dueBefore ? eq(activities.type, 'task') : undefined,
      q.done ? eq(activities.done, q.done === 'true') : undefined,
      q.dueAfter ? gte(activities.dueAt, new Date(q.dueAfter)) : undefined,
      q.dueBefore ? lt(activities.dueAt, new Date(q.dueBefore)) : undefined,
    ],
  },
};
