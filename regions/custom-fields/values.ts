import type { CustomFieldValues } from '../../db/schema/crm.ts';
import type { customFieldEntities, customFieldTypes } from '../../db/schema/crm-enums.ts';
import { badRequest, type FieldIssue } from '../../openapi/errors.ts';

export type CustomFieldEntity = (typeof customFieldEntities)[number];
export type CustomFieldType = (typeof customFieldTypes)[number];
export type FieldDefinition = {
  entity: CustomFieldEntity;
  key: string;
  type: CustomFieldType;
  options: string[] | null;
  required: boolean;
};
export type CustomFieldValue = CustomFieldValues[string];

const MAX_TEXT = 2000;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a `YYYY-MM-DD` string names a real calendar day (not 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!isoDate.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** One value normalised for its definition, or the reason it does not fit. */
export function normaliseValue(
  definition: FieldDefinition,
  value: unknown,
): { ok: true; value: Exclude<CustomFieldValue, null> } | { ok: false; message: string } {
  const options = definition.options ?? [];
  switch (definition.type) {
    case 'text': {
      if (typeof value !== 'string') return { ok: false, message: 'Expected text' };
      const text = value.trim();
      if (text.length > MAX_TEXT) return { ok: false, message: `At most ${MAX_TEXT} characters` };
      // NUL cannot be stored in PostgreSQL text; refusing it here keeps it a 400, never a 500.
      if (text.includes('\u0000')) return { ok: false, message: 'Contains a character that cannot be stored' };
      return { ok: true, value: text };
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? { ok: true, value }
        : { ok: false, message: 'Expected a finite number' };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, message: 'Expected true or false' };
    case 'date':
      return typeof value === 'string' && isCalendarDate(value)
        ? { ok: true, value }
        : { ok: false, message: 'Expected a date as YYYY-MM-DD' };
    case 'select':
      return typeof value === 'string' && options.includes(value)
        ? { ok: true, value }
        : { ok: false, message: `Expected one of: ${options.join(', ')}` };
    case 'multi_select': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !options.includes(v)))
        return { ok: false, message: `Expected a list of: ${options.join(', ')}` };
      return { ok: true, value: [...new Set(value as string[])] };
    }
  }
}

/**
 * Checks a record's `customFields` against the organization's definitions for its entity and returns the values to
 * store. On create (`partial: false`) required fields must be given; on PATCH (`partial: true`) the values merge
 * into `current` and `null` removes one. Throws 400 `validation_failed` naming each bad `customFields.<key>`.
 */
export function validateCustomFields(
  definitions: readonly FieldDefinition[],
  entity: CustomFieldEntity,
  values: Record<string, unknown> | undefined,
  options: { partial: boolean; current?: CustomFieldValues },
): CustomFieldValues {
  const byKey = new Map(definitions.filter((d) => d.entity === entity).map((d) => [d.key, d]));
  const result: CustomFieldValues = options.partial ? { ...(options.current ?? {}) } : {};
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(values ?? {})) {
    const definition = byKey.get(key);
    const path = `customFields.${key}`;
    if (!definition) {
      issues.push({ path, message: 'Unknown custom field' });
      continue;
    }
    if (value === null || value === undefined) {
      if (definition.required) issues.push({ path, message: 'Required' });
      else delete result[key];
      continue;
    }
    const checked = normaliseValue(definition, value);
    if (checked.ok) result[key] = checked.value;
    else issues.push({ path, message: checked.message });
  }
  if (!options.partial) {
    for (const definition of byKey.values()) {
      if (
        definition.required &&
        result[definition.key] === undefined &&
        !issues.some((i) => i.path.endsWith(`.${definition.key}`))
      )
        issues.push({ path: `customFields.${definition.key}`, message: 'Required' });
    }
  }
  if (issues.length > 0) throw badRequest('validation_failed', 'The custom fields are invalid', issues);
  return result;
}
