import type { customFieldDefinitions } from '../../db/schema/index.ts';

type DefinitionRow = typeof customFieldDefinitions.$inferSelect;

export const customFieldView = (d: DefinitionRow) => ({
  id: d.id,
  entity: d.entity,
  key: d.key,
  label: d.label,
  type: d.type,
  options: d.options ?? null,
  required: d.required,
  position: d.position,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});
