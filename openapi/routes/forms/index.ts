import { home, type PublicOperation } from '../../operation.ts';
import { createFormRoute } from './create.ts';
import { deleteFormRoute } from './delete.ts';
import { getFormRoute, listFormsRoute } from './list.ts';
import { updateFormRoute } from './update.ts';

export { publicFormRoutes } from './public.ts';

/** Lead-capture forms, managed through the API; their public script and submissions are the edge's (public.ts). */
export const formOperations: PublicOperation[] = [
  { route: listFormsRoute, target: home, cacheable: true },
  { route: createFormRoute, target: home },
  { route: getFormRoute, target: home, cacheable: true },
  { route: updateFormRoute, target: home },
  { route: deleteFormRoute, target: home },
];
