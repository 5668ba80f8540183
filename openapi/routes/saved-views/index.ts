import { home, type PublicOperation } from '../../operation.ts';
import { createSavedViewRoute } from './create.ts';
import { deleteSavedViewRoute } from './delete.ts';
import { getSavedViewRoute } from './get.ts';
import { listSavedViewsRoute } from './list.ts';
import { updateSavedViewRoute } from './update.ts';

export const savedViewOperations: PublicOperation[] = [
  { route: createSavedViewRoute, target: home },
  { route: listSavedViewsRoute, target: home, cacheable: true },
  { route: getSavedViewRoute, target: home, cacheable: true },
  { route: updateSavedViewRoute, target: home },
  { route: deleteSavedViewRoute, target: home },
];
