import { home, type PublicOperation } from '../../operation.ts';
import { createCustomFieldRoute } from './create.ts';
import { deleteCustomFieldRoute } from './delete.ts';
import { listCustomFieldsRoute } from './list.ts';
import { updateCustomFieldRoute } from './update.ts';

export const customFieldOperations: PublicOperation[] = [
  { route: createCustomFieldRoute, target: home },
  { route: listCustomFieldsRoute, target: home, cacheable: true },
  { route: updateCustomFieldRoute, target: home },
  { route: deleteCustomFieldRoute, target: home },
];
