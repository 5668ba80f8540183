import { and, eq, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { pipelines } from '../../db/schema/index.ts';
import { conflict } from '../../openapi/errors.ts';
import { stageNameKey } from '../../openapi/schemas/pipelines.ts';

/** Pipeline names are unique in the organization, ignoring case, so a rep picking one is never unsure which. */
export async function checkPipelineName(tx: Tx, organizationId: string, name: string, exceptId?: string) {
  const [taken] = await tx
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(
      and(
        eq(pipelines.organizationId, organizationId),
        sql`lower(${pipelines.name}) = ${stageNameKey(name)}`,
        exceptId ? ne(pipelines.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (taken) throw conflict('pipeline_name_taken', `A pipeline named "${name}" already exists`);
}

/** Stage names are unique within their pipeline, ignoring case. */
export function checkStageName(stages: readonly { id: string; name: string }[], name: string, exceptId?: string) {
  if (stages.some((s) => s.id !== exceptId && stageNameKey(s.name) === stageNameKey(name))) {
    throw conflict('stage_name_taken', `This pipeline already has a stage named "${name}"`);
  }
}
