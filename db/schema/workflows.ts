import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { WorkflowAction, WorkflowTrigger } from '../../openapi/schemas/workflows.ts';
import { at, createdAt, organizationId, updatedAt } from './columns.ts';

export const workflowRunStatuses = ['running', 'waiting', 'succeeded', 'failed', 'skipped'] as const;
export const workflowStepStatuses = ['ok', 'failed', 'skipped', 'waiting'] as const;
export type WorkflowRunStatus = (typeof workflowRunStatuses)[number];
export type WorkflowStepStatus = (typeof workflowStepStatuses)[number];

/**
 * An organization's automation: a trigger (an event type with conditions on its record) and ordered actions, both
 * validated by the API's zod definition before they are stored. Only enabled workflows are looked up by the
 * automation worker, hence the index on (organization, enabled).
 */
export const workflows = pgTable(
  'workflows',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    enabled: boolean('enabled').notNull().default(true),
    trigger: jsonb('trigger').$type<WorkflowTrigger>().notNull(),
    actions: jsonb('actions').$type<WorkflowAction[]>().notNull(),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('workflows_org_enabled').on(t.organizationId, t.enabled),
  ],
);

/**
 * One execution of a workflow for one triggering event. The definition is copied in (`actions`), so a run finishes
 * as it started even when the workflow is edited meanwhile; `nextStep` is where the run's job resumes (after a
 * `wait`, or a retry). `depth` counts workflow-caused events up the chain, for loop protection.
 */
export const workflowRuns = pgTable(
  'workflow_runs',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    workflowVersion: integer('workflow_version').notNull(),
    status: text('status', { enum: workflowRunStatuses }).notNull(),
    /** The triggering event (id, type, record) or, for a dry run never stored, the sample. */
    trigger: jsonb('trigger').$type<Record<string, unknown>>().notNull(),
    record: jsonb('record').$type<Record<string, unknown>>(),
    actions: jsonb('actions').$type<WorkflowAction[]>().notNull(),
    depth: integer('depth').notNull().default(0),
    nextStep: integer('next_step').notNull().default(0),
    reason: text('reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: at('finished_at'),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('workflow_runs_org_workflow').on(t.organizationId, t.workflowId, t.id),
  ],
);

/** The log of one step of a run: what it did (or why it did not), when, and on which attempt. */
export const workflowRunSteps = pgTable(
  'workflow_run_steps',
  {
    organizationId: organizationId(),
    runId: uuid('run_id').notNull(),
    position: integer('position').notNull(),
    type: text('type').notNull(),
    status: text('status', { enum: workflowStepStatuses }).notNull(),
    result: jsonb('result'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(1),
    startedAt: at('started_at').notNull(),
    finishedAt: at('finished_at'),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.runId, t.position] })],
);
