import { home, type PublicOperation } from '../../operation.ts';
import { convertLeadRoute } from './convert.ts';
import { countLeadsRoute } from './count.ts';
import { createLeadRoute } from './create.ts';
import { deleteLeadRoute } from './delete.ts';
import { listLeadDuplicatesRoute } from './duplicates.ts';
import { getLeadRoute } from './get.ts';
import { listLeadsRoute } from './list.ts';
import { mergeLeadRoute } from './merge.ts';
import { updateLeadRoute } from './update.ts';

export const leadOperations: PublicOperation[] = [
  { route: createLeadRoute, target: home },
  { route: listLeadsRoute, target: home, cacheable: true },
  // Before getLead: its {id} would otherwise take `count` and refuse it as an id.
  { route: countLeadsRoute, target: home, cacheable: true },
  { route: getLeadRoute, target: home, cacheable: true },
  { route: updateLeadRoute, target: home },
  { route: deleteLeadRoute, target: home },
  { route: convertLeadRoute, target: home },
  { route: listLeadDuplicatesRoute, target: home, cacheable: true },
  { route: mergeLeadRoute, target: home },
];
