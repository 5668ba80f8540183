import { home, type PublicOperation } from '../../operation.ts';
import { createWatchRoute } from './create.ts';
import { deleteWatchRoute } from './delete.ts';
import { listWatchesRoute } from './list.ts';

export const watchOperations: PublicOperation[] = [
  { route: createWatchRoute, target: home },
  { route: listWatchesRoute, target: home, cacheable: true },
  { route: deleteWatchRoute, target: home },
];
