import { home, type PublicOperation } from '../../operation.ts';
import { addStageRoute } from './add-stage.ts';
import { createPipelineRoute } from './create.ts';
import { deletePipelineRoute } from './delete.ts';
import { deleteStageRoute } from './delete-stage.ts';
import { getPipelineRoute } from './get.ts';
import { listPipelinesRoute } from './list.ts';
import { updatePipelineRoute } from './update.ts';
import { updateStageRoute } from './update-stage.ts';

export const pipelineOperations: PublicOperation[] = [
  { route: createPipelineRoute, target: home },
  { route: listPipelinesRoute, target: home, cacheable: true },
  { route: getPipelineRoute, target: home, cacheable: true },
  { route: updatePipelineRoute, target: home },
  { route: deletePipelineRoute, target: home },
  { route: addStageRoute, target: home },
  { route: updateStageRoute, target: home },
  { route: deleteStageRoute, target: home },
];
