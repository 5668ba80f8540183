import { home, type PublicOperation } from '../../operation.ts';
import { createWorkflowRoute } from './create.ts';
import { deleteWorkflowRoute } from './delete.ts';
import { dryRunWorkflowRoute } from './dry-run.ts';
import { getWorkflowRoute } from './get.ts';
import { listWorkflowsRoute } from './list.ts';
import { getWorkflowRunRoute, listWorkflowRunsRoute } from './runs.ts';
import { disableWorkflowRoute, enableWorkflowRoute, updateWorkflowRoute } from './update.ts';

/** Automation: workflows, their dry run and their run log (runs are written by the worker, so never cached). */
export const workflowOperations: PublicOperation[] = [
  { route: listWorkflowsRoute, target: home, cacheable: true },
  { route: createWorkflowRoute, target: home },
  { route: getWorkflowRoute, target: home, cacheable: true },
  { route: updateWorkflowRoute, target: home },
  { route: deleteWorkflowRoute, target: home },
  { route: enableWorkflowRoute, target: home },
  { route: disableWorkflowRoute, target: home },
  { route: dryRunWorkflowRoute, target: home },
  { route: listWorkflowRunsRoute, target: home },
  { route: getWorkflowRunRoute, target: home },
];
