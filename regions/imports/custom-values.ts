import type { CustomFieldValues } from '../../db/schema/crm.ts';
import { type FieldDefinition, normaliseValue } from '../custom-fields/values.ts';

/**
 * What separates the choices of a multi-select cell: `;`. Not `,`, which option names may contain (and which the
 * CSV itself uses), nor `|`, which few spreadsheets write; one separator keeps a cell's meaning unambiguous.
 */
export const MULTI_SELECT_SEPARATOR = ';';

const truthy = new Set(['true', 'yes', '1']);
const falsy = new Set(['false', 'no', '0']);
/** Plain decimal notation only: "1,234" means 1234 in one country and 1.234 in another, so it is refused. */
const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export type ParsedCell = { ok: true; value: unknown } | { ok: false; message: string };

/** An option as the definition spells it, matched without regard to case ("gold" for "Gold"); else the text. */
function option(definition: FieldDefinition, text: string): string {
  const lower = text.toLowerCase();
  return (definition.options ?? []).find((o) => o.toLowerCase() === lower) ?? text;
}

/**
 * A trimmed, non-empty CSV cell read as the JSON value the API would take for the custom field: numbers in plain
 * decimal notation, dates as YYYY-MM-DD, booleans as true/false, yes/no or 1/0 (any case), a select's option in
 * any case, a multi-select's options separated by `;`. What it cannot read is an error in the same words the
 * API uses; the value it reads is then checked by the organization's definitions (validateCustomFields).
 */
export function parseCustomCell(definition: FieldDefinition, text: string): ParsedCell {
  switch (definition.type) {
    case 'text':
      return { ok: true, value: text };
    case 'number':
      return decimal.test(text) && Number.isFinite(Number(text))
        ? { ok: true, value: Number(text) }
        : { ok: false, message: 'Expected a number such as 1234.5' };
    case 'boolean': {
      const word = text.toLowerCase();
      if (truthy.has(word)) return { ok: true, value: true };
      if (falsy.has(word)) return { ok: true, value: false };
      return { ok: false, message: 'Expected true/false, yes/no or 1/0' };
    }
    case 'date':
      return { ok: true, value: text };
    case 'select':
      return { ok: true, value: option(definition, text) };
    case 'multi_select':
      return {
        ok: true,
        value: text
          .split(MULTI_SELECT_SEPARATOR)
          .map((part) => part.trim())
          .filter(Boolean)
          .map((part) => option(definition, part)),
      };
  }
}

export type CustomCellIssue = { key: string; message: string };

export type CheckedCustomCells = {
  /** The values to store, normalised by their definitions. */
  values: CustomFieldValues;
  /** What a preview shows: the stored value where the cell was good, the cell's text where it was not. */
  shown: Record<string, unknown>;
  /** Cells whose text does not fit their field: the row fails. */
  issues: CustomCellIssue[];
  /** Required fields the row leaves empty: it cannot create a record (it may still update one, as a PATCH may). */
  missingRequired: CustomCellIssue[];
};

/** Reads and checks a row's custom field cells (key → trimmed, non-empty text) with the organization's definitions. */
export function checkCustomCells(
  definitions: readonly FieldDefinition[],
  cells: Readonly<Record<string, string>>,
): CheckedCustomCells {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const result: CheckedCustomCells = { values: {}, shown: {}, issues: [], missingRequired: [] };
  for (const [key, text] of Object.entries(cells)) {
    result.shown[key] = text;
    const definition = byKey.get(key);
    // The mapping named it when the import was set up; the field has been deleted since.
    if (!definition) {
      result.issues.push({ key, message: 'Unknown custom field' });
      continue;
    }
    const parsed = parseCustomCell(definition, text);
    const checked = parsed.ok ? normaliseValue(definition, parsed.value) : parsed;
    if (!checked.ok) {
      result.issues.push({ key, message: checked.message });
      continue;
    }
    result.values[key] = checked.value;
    result.shown[key] = checked.value;
  }
  for (const definition of definitions) {
    if (definition.required && cells[definition.key] === undefined) {
      result.missingRequired.push({ key: definition.key, message: 'Required' });
    }
  }
  return result;
}
