import { home, type PublicOperation } from '../../operation.ts';
import { createActivityRoute } from './create.ts';
import { deleteActivityRoute } from './delete.ts';
import { getActivityRoute } from './get.ts';
import { listActivitiesRoute } from './list.ts';
import { listMyTasksRoute } from './my-tasks.ts';
import { updateActivityRoute } from './update.ts';

export const activityOperations: PublicOperation[] = [
  { route: createActivityRoute, target: home },
  { route: listActivitiesRoute, target: home, cacheable: true },
  { route: getActivityRoute, target: home, cacheable: true },
  { route: updateActivityRoute, target: home },
  { route: deleteActivityRoute, target: home },
  // Not cached: "today" and "overdue" move with the clock, not only with writes.
  { route: listMyTasksRoute, target: home },
];
