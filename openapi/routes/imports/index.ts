import { home, type PublicOperation } from '../../operation.ts';
import { cancelImportRoute } from './cancel.ts';
import { createImportRoute } from './create.ts';
import { importErrorsRoute } from './errors.ts';
import { getImportRoute } from './get.ts';
import { listImportsRoute } from './list.ts';
import { previewImportRoute } from './preview.ts';
import { startImportRoute } from './start.ts';
import { updateImportRoute } from './update.ts';

// Nothing here is cacheable: an import's progress changes in the background, without a write through the edge.
export const importOperations: PublicOperation[] = [
  { route: createImportRoute, target: home, upload: 'import' },
  { route: listImportsRoute, target: home },
  { route: getImportRoute, target: home },
  { route: updateImportRoute, target: home },
  { route: previewImportRoute, target: home },
  { route: startImportRoute, target: home },
  { route: cancelImportRoute, target: home },
  { route: importErrorsRoute, target: home },
];
