import type { pipelineStages, pipelines } from '../../db/schema/index.ts';

type PipelineRow = typeof pipelines.$inferSelect;
export type StageRow = typeof pipelineStages.$inferSelect;

export const stageView = (s: StageRow) => ({
  id: s.id,
  name: s.name,
  position: s.position,
  probability: s.probability,
  kind: s.kind,
});

/** A pipeline with its stages in order; `stages` must already be sorted by position. */
export const pipelineView = (p: PipelineRow, stages: StageRow[]) => ({
  id: p.id,
  name: p.name,
  isDefault: p.isDefault,
  position: p.position,
  stages: stages.map(stageView),
  version: p.version,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});
