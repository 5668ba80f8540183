import { home, type PublicOperation } from '../../operation.ts';
import { loseDealRoute, winDealRoute } from './close.ts';
import { createDealRoute } from './create.ts';
import { deleteDealRoute } from './delete.ts';
import { getDealRoute } from './get.ts';
import { listDealsRoute } from './list.ts';
import { listStageChangesRoute } from './stage-changes.ts';
import { updateDealRoute } from './update.ts';

export const dealOperations: PublicOperation[] = [
  { route: createDealRoute, target: home },
  { route: listDealsRoute, target: home, cacheable: true },
  { route: getDealRoute, target: home, cacheable: true },
  { route: updateDealRoute, target: home },
  { route: deleteDealRoute, target: home },
  { route: winDealRoute, target: home },
  { route: loseDealRoute, target: home },
  { route: listStageChangesRoute, target: home, cacheable: true },
];
