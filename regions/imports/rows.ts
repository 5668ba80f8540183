import type { z } from '@hono/zod-openapi';
import { CompanyInput } from '../../openapi/schemas/companies.ts';
import { ContactInput } from '../../openapi/schemas/contacts.ts';
import type { ImportEntity } from '../../openapi/schemas/imports.ts';
import { LeadInput } from '../../openapi/schemas/leads.ts';
import type { FieldDefinition } from '../custom-fields/values.ts';
import { customFieldKeyOf, customFieldTarget } from './custom-fields.ts';
import { checkCustomCells } from './custom-values.ts';
import { dedupeField } from './fields.ts';

/** The same schemas the create endpoints validate with, so an imported record obeys every rule a created one does. */
const schemas = { lead: LeadInput, contact: ContactInput, company: CompanyInput };

export type ImportInput = {
  lead: z.output<typeof LeadInput>;
  contact: z.output<typeof ContactInput>;
  company: z.output<typeof CompanyInput>;
};

export type RowIssue = { field: string; message: string };

export type CheckedRow<E extends ImportEntity = ImportEntity> =
  | {
      ok: true;
      values: Record<string, unknown>;
      input: ImportInput[E];
      key: string | null;
      /** What stops the row creating a record (required custom fields it leaves empty); it may update one. */
      createIssues: RowIssue[];
    }
  | { ok: false; values: Record<string, unknown>; errors: RowIssue[] };

const addressParts = new Set(['street', 'city', 'region', 'postalCode', 'country']);
const enumFields = new Set(['status', 'lifecycleStage']);
const truthy = new Set(['true', 'yes', 'y', '1', 'x', 'opted in', 'opt-in', 'subscribed']);
const falsy = new Set(['false', 'no', 'n', '0', 'opted out', 'opt-out', 'unsubscribed']);

/** "Ada King Lovelace" → Ada / King Lovelace: the first word is the given name, so "van Beethoven" stays whole. */
export function splitFullName(full: string): { firstName: string; lastName?: string } {
  const [first, ...rest] = full.trim().split(/\s+/);
  return rest.length ? { firstName: first!, lastName: rest.join(' ') } : { firstName: first! };
}

function cellValue(field: string, raw: string): unknown {
  if (field === 'tags') {
    return raw
      .split(/[;,|]/)
      .map((tag) => tag.trim())
      .filter(Boolean);
  }
  if (field === 'marketingEmailConsent') {
    const word = raw.toLowerCase();
    return truthy.has(word) ? true : falsy.has(word) ? false : raw;
  }
  // "Qualified" and "Marketing Qualified" read as the API's qualified / marketing_qualified.
  if (enumFields.has(field)) return raw.toLowerCase().replace(/[\s-]+/g, '_');
  return raw;
}

/**
 * The create body a CSV row stands for: each mapped, non-empty cell (trimmed) under its field, a full name split
 * in two unless first and last name have their own columns, a company's address parts gathered into `address`,
 * and an imported consent given with the source `import`. Cells mapped to `cf.<key>` go under `customFields` as
 * text, for checkRow to read by their definitions. Cells past the header's width are ignored.
 */
export function rowToValues(
  headers: readonly string[],
  cells: readonly string[],
  mapping: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const address: Record<string, unknown> = {};
  const customFields: Record<string, string> = {};
  let fullName: string | undefined;
  headers.forEach((header, i) => {
    const field = mapping[header];
    const raw = cells[i]?.trim() ?? '';
    if (!field || raw === '') return;
    const customKey = customFieldKeyOf(field);
    if (customKey !== null) customFields[customKey] = raw;
    else if (field === 'fullName') fullName = raw;
    else if (addressParts.has(field)) address[field] = raw;
    else values[field] = cellValue(field, raw);
  });
  if (fullName !== undefined && values.firstName === undefined && values.lastName === undefined) {
    Object.assign(values, splitFullName(fullName));
  }
  if (Object.keys(address).length > 0) values.address = address;
  if (Object.keys(customFields).length > 0) values.customFields = customFields;
  if (values.marketingEmailConsent === true) values.consentSource = 'import';
  return values;
}

/** Which column to blame for an issue at a schema path: the header mapped to the field, else the field's name. */
function blame(path: readonly PropertyKey[], mapping: Readonly<Record<string, string>>): string {
  const headerOf = (f: string) => Object.keys(mapping).find((header) => mapping[header] === f);
  if (path[0] === 'customFields' && path.length > 1) {
    const target = customFieldTarget(String(path[1]));
    return headerOf(target) ?? target;
  }
  const field = String(path[0] === 'address' && path.length > 1 ? path[1] : (path[0] ?? ''));
  const viaFullName = field === 'firstName' || field === 'lastName' ? headerOf('fullName') : undefined;
  return headerOf(field) ?? viaFullName ?? (field || '(row)');
}

/**
 * Validates a row's values with the entity's create schema, its custom field cells read and checked by the
 * organization's definitions of the entity (`customFields`); every issue names its column. A valid row carries
 * its dedupe key, if it has one, and what would stop it creating a record.
 */
export function checkRow<E extends ImportEntity>(
  entity: E,
  values: Record<string, unknown>,
  mapping: Readonly<Record<string, string>>,
  customFields: readonly FieldDefinition[] = [],
): CheckedRow<E> {
  const { customFields: cells, ...body } = values;
  const custom = checkCustomCells(customFields, (cells ?? {}) as Record<string, string>);
  const issueOf = (key: string, message: string) => ({ field: blame(['customFields', key], mapping), message });
  const shown = cells === undefined ? values : { ...values, customFields: custom.shown };
  if (Object.keys(custom.values).length > 0) body.customFields = custom.values;
  const parsed = schemas[entity].safeParse(body);
  const errors = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => ({ field: blame(i.path, mapping), message: i.message }))),
    ...custom.issues.map((issue) => issueOf(issue.key, issue.message)),
  ];
  if (!parsed.success || errors.length > 0) return { ok: false, values: shown, errors };
  const input = parsed.data as ImportInput[E];
  const keyValue = (input as Record<string, unknown>)[dedupeField[entity]];
  const key = typeof keyValue === 'string' && keyValue !== '' ? keyValue.toLowerCase() : null;
  const createIssues = custom.missingRequired.map((issue) => issueOf(issue.key, issue.message));
  return { ok: true, values: shown, input, key, createIssues };
}

/** One line of the error report's `reason` column. */
export const describeIssues = (errors: readonly RowIssue[]) => errors.map((e) => `${e.field}: ${e.message}`).join('; ');
