import { home, type PublicOperation } from '../../operation.ts';
import { discardDeadJobRoute } from './discard.ts';
import { listDeadJobsRoute } from './list.ts';
import { retryDeadJobRoute } from './retry.ts';

export const jobOperations: PublicOperation[] = [
  { route: listDeadJobsRoute, target: home },
  { route: retryDeadJobRoute, target: home },
  { route: discardDeadJobRoute, target: home },
];
