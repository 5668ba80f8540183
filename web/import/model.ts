import type { ImportEntity } from '../../openapi/schemas/imports.ts';
import { identityFields } from '../../regions/imports/fields.ts';

/** An import as GET /api/v1/imports/{id} shows it (the fields the pages use). */
export type ImportView = {
  id: string;
  entity: ImportEntity;
  status: 'uploaded' | 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  filename: string;
  headers: string[];
  mapping: Record<string, string>;
  fields: string[];
  options: { onDuplicate: 'skip' | 'update' };
  totalRows: number | null;
  processedRows: number;
  createdRows: number;
  updatedRows: number;
  skippedRows: number;
  failedRows: number;
  cancelRequested: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  errorsUrl: string | null;
};

/** What the mapping step needs of a custom field: its label for the menu, and whether a new record needs it. */
export type CustomFieldInfo = { key: string; label: string; required: boolean };

export type PreviewRow = {
  line: number;
  values: Record<string, unknown>;
  errors: { field: string; message: string }[];
};
export type Preview = { rows: PreviewRow[]; validRows: number; invalidRows: number };

export const entityLabels: Record<ImportEntity, { one: string; many: string; href: string }> = {
  lead: { one: 'lead', many: 'Leads', href: '/leads' },
  contact: { one: 'contact', many: 'Contacts', href: '/contacts' },
  company: { one: 'company', many: 'Companies', href: '/companies' },
};

export const statusLabels: Record<ImportView['status'], string> = {
  uploaded: 'Waiting for mapping',
  queued: 'Queued',
  running: 'Importing',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const isFinished = (status: ImportView['status']) =>
  status === 'completed' || status === 'failed' || status === 'cancelled';

const builtInLabels: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  fullName: 'Full name (split into first and last)',
  email: 'Email',
  phone: 'Phone',
  company: 'Company',
  title: 'Job title',
  source: 'Source',
  status: 'Status',
  lifecycleStage: 'Lifecycle stage',
  tags: 'Tags',
  marketingEmailConsent: 'Marketing email consent',
  name: 'Name',
  domain: 'Domain',
  industry: 'Industry',
  size: 'Size',
  street: 'Street',
  city: 'City',
  region: 'Region or state',
  postalCode: 'Postal code',
  country: 'Country',
};

export const CUSTOM_PREFIX = 'cf.';

/** A field as a person reads it: built-in fields by name, custom ones by their label. */
export function fieldLabel(field: string, custom: readonly CustomFieldInfo[]): string {
  if (field.startsWith(CUSTOM_PREFIX)) {
    const key = field.slice(CUSTOM_PREFIX.length);
    return custom.find((c) => c.key === key)?.label ?? key;
  }
  return builtInLabels[field] ?? field;
}

/** Column header → chosen field, '' for a column left out. */
export type MappingDraft = Record<string, string>;

export const draftOf = (imp: Pick<ImportView, 'headers' | 'mapping'>): MappingDraft =>
  Object.fromEntries(imp.headers.map((h) => [h, imp.mapping[h] ?? '']));

/** The PATCH body's mapping: every column named, null for the ones left out, so the whole mapping is replaced. */
export const mappingPatch = (headers: readonly string[], draft: MappingDraft): Record<string, string | null> =>
  Object.fromEntries(headers.map((h) => [h, draft[h] || null]));

export type MappingProblems = { columns: Record<string, string>; general: string[] };

/**
 * What stops a mapping before it is sent: a field chosen for two columns, nothing that names the record (the
 * start endpoint refuses that), and, when duplicates are skipped, a required custom field left unmapped (every
 * new record would fail on it; rows that update an existing record may leave it out).
 */
export function mappingProblems(
  entity: ImportEntity,
  headers: readonly string[],
  draft: MappingDraft,
  custom: readonly CustomFieldInfo[],
  onDuplicate: 'skip' | 'update',
): MappingProblems {
  const columns: Record<string, string> = {};
  const general: string[] = [];
  const firstColumnOf = new Map<string, string>();
  for (const header of headers) {
    const field = draft[header];
    if (!field) continue;
    const earlier = firstColumnOf.get(field);
    if (earlier !== undefined) columns[header] = `${fieldLabel(field, custom)} is already mapped from “${earlier}”`;
    else firstColumnOf.set(field, header);
  }
  const identity = identityFields[entity];
  if (!identity.some((field) => firstColumnOf.has(field))) {
    general.push(`Map a column to at least one of: ${identity.map((f) => fieldLabel(f, custom)).join(', ')}.`);
  }
  if (onDuplicate === 'skip') {
    for (const field of custom) {
      if (field.required && !firstColumnOf.has(`${CUSTOM_PREFIX}${field.key}`)) {
        general.push(`${field.label} is required for new records: map a column to it.`);
      }
    }
  }
  return { columns, general };
}

export const hasProblems = (p: MappingProblems) => p.general.length > 0 || Object.keys(p.columns).length > 0;

/** A preview row's values flattened for a table: custom field values under `cf.<key>`, lists joined. */
export function previewCells(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const show = (v: unknown) =>
    v === null || v === undefined
      ? ''
      : Array.isArray(v)
        ? v.join('; ')
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
  for (const [key, value] of Object.entries(values)) {
    if (key === 'customFields' && value && typeof value === 'object') {
      for (const [cf, v] of Object.entries(value)) out[`${CUSTOM_PREFIX}${cf}`] = show(v);
    } else out[key] = show(value);
  }
  return out;
}

/** Rows done out of the file's rows, 0–100 (a file of no rows is done when its run is). */
export function percentDone(imp: Pick<ImportView, 'processedRows' | 'totalRows' | 'status'>): number {
  if (!imp.totalRows) return isFinished(imp.status) ? 100 : 0;
  return Math.min(100, Math.round((imp.processedRows / imp.totalRows) * 100));
}

/** The upload limit the regions apply by default (IMPORT_MAX_BYTES); a larger file would be refused after sending. */
export const MAX_UPLOAD_BYTES = 128 * 1024 * 1024;

// The types the region accepts for a CSV (browsers label one in several ways; Windows as Excel).
const csvTypes = new Set(['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'text/x-csv']);

/** Why a chosen file cannot be uploaded (before a byte is sent), or null when it may be. */
export function fileProblem(file: { name: string; size: number; type: string } | null | undefined): string | null {
  if (!file) return 'Choose a CSV file to upload.';
  if (!/\.csv$/i.test(file.name) && !csvTypes.has(file.type.toLowerCase())) {
    return `“${file.name}” is not a CSV file. Save the sheet as CSV (comma-separated values) and choose that file.`;
  }
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > MAX_UPLOAD_BYTES) {
    return `“${file.name}” is ${formatBytes(file.size)}; files up to ${formatBytes(MAX_UPLOAD_BYTES)} can be imported. Split it into smaller files.`;
  }
  return null;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
