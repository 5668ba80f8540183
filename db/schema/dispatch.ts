import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { type AssignmentConditions, assignmentStrategies } from './assignment-enums.ts';
import { at, createdAt, organizationId, updatedAt } from './columns.ts';

export type { AssignmentConditions, AssignmentStrategy } from './assignment-enums.ts';
export { assignmentStrategies } from './assignment-enums.ts';

/** An organization's lead assignment rules, tried in position order; the first that yields a rep assigns the lead. */
export const assignmentRules = pgTable(
  'assignment_rules',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    strategy: text('strategy', { enum: assignmentStrategies }).notNull(),
    conditions: jsonb('conditions').$type<AssignmentConditions>().notNull().default({}),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('assignment_rules_org_position').on(t.organizationId, t.position, t.id),
  ],
);

/** The reps a rule hands leads to, in rotation order, each with a weight and optionally a territory of their own. */
export const assignmentRuleMembers = pgTable(
  'assignment_rule_members',
  {
    organizationId: organizationId(),
    ruleId: uuid('rule_id').notNull(),
    userId: uuid('user_id').notNull(),
    position: integer('position').notNull(),
    weight: integer('weight').notNull().default(1),
    territory: jsonb('territory').$type<AssignmentConditions>(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.ruleId, t.userId] })],
);

/** Where a round-robin rule's rotation stands: the rep it chose last. Locked with its rule while a lead is placed. */
export const assignmentCursors = pgTable(
  'assignment_cursors',
  {
    organizationId: organizationId(),
    ruleId: uuid('rule_id').notNull(),
    lastUserId: uuid('last_user_id'),
    assignedCount: integer('assigned_count').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.ruleId] })],
);

/**
 * A member's availability for new leads: away (until a time, or until cleared) and the most open leads they take.
 * One row per user of the organization, only once someone set it; no row means available without a limit.
 */
export const repAvailability = pgTable(
  'rep_availability',
  {
    organizationId: organizationId(),
    userId: uuid('user_id').notNull(),
    away: boolean('away').notNull().default(false),
    awayUntil: at('away_until'),
    maxOpenLeads: integer('max_open_leads'),
    updatedBy: uuid('updated_by'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] })],
);

/** Every automatic assignment decision, with its explanation: which rule matched and why other reps were passed over. */
export const leadAssignments = pgTable(
  'lead_assignments',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    leadId: uuid('lead_id').notNull(),
    ruleId: uuid('rule_id'),
    ownerId: uuid('owner_id'),
    /** The bus event that asked for the assignment. */
    eventId: uuid('event_id').notNull(),
    explanation: jsonb('explanation').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('lead_assignments_org_lead').on(t.organizationId, t.leadId, t.id),
  ],
);
