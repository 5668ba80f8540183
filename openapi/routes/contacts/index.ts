import { home, type PublicOperation } from '../../operation.ts';
import { createContactRoute } from './create.ts';
import { deleteContactRoute } from './delete.ts';
import { listContactDuplicatesRoute } from './duplicates.ts';
import { getContactRoute } from './get.ts';
import { listContactsRoute } from './list.ts';
import { mergeContactRoute } from './merge.ts';
import { updateContactRoute } from './update.ts';
import { getContact360Route } from './view-360.ts';

export const contactOperations: PublicOperation[] = [
  { route: createContactRoute, target: home },
  { route: listContactsRoute, target: home, cacheable: true },
  { route: getContactRoute, target: home, cacheable: true },
  { route: updateContactRoute, target: home },
  { route: deleteContactRoute, target: home },
  { route: getContact360Route, target: home, cacheable: true },
  // Duplicates and merging (regions/duplicates/).
  { route: listContactDuplicatesRoute, target: home, cacheable: true },
  { route: mergeContactRoute, target: home },
];
