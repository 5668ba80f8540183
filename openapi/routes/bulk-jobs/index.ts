import { home, type PublicOperation } from '../../operation.ts';
import { cancelBulkJobRoute } from './cancel.ts';
import { getBulkJobRoute } from './get.ts';

// Nothing here is cacheable: a job's progress changes in the background, without a write through the edge.
export const bulkJobOperations: PublicOperation[] = [
  { route: getBulkJobRoute, target: home },
  { route: cancelBulkJobRoute, target: home },
];
