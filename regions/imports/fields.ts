import type { ImportEntity } from '../../openapi/schemas/imports.ts';

/**
 * The built-in fields a CSV column can fill, per kind of record. `fullName` is split into first and last name; the
 * address parts of a company make up its address. A column may also fill a custom field of the entity, named
 * `cf.<key>` (custom-fields.ts). Owners and companies of contacts are not imported yet.
 */
export const importFields = {
  lead: ['firstName', 'lastName', 'fullName', 'email', 'phone', 'company', 'title', 'source', 'status'],
  contact: [
    'firstName',
    'lastName',
    'fullName',
    'email',
    'phone',
    'title',
    'lifecycleStage',
    'tags',
    'marketingEmailConsent',
  ],
  company: ['name', 'domain', 'industry', 'size', 'tags', 'street', 'city', 'region', 'postalCode', 'country'],
} as const satisfies Record<ImportEntity, readonly string[]>;

export type ImportField<E extends ImportEntity = ImportEntity> = (typeof importFields)[E][number];

export const isImportField = (entity: ImportEntity, field: string): field is ImportField =>
  (importFields[entity] as readonly string[]).includes(field);

/** What a mapping must include before an import can start: something that names the record. */
export const identityFields: Record<ImportEntity, readonly string[]> = {
  lead: ['firstName', 'lastName', 'fullName', 'email', 'phone'],
  contact: ['firstName', 'lastName', 'fullName', 'email', 'phone'],
  company: ['name'],
};

/** The field whose value finds an existing record to skip or update: email for people, domain for companies. */
export const dedupeField: Record<ImportEntity, 'email' | 'domain'> = {
  lead: 'email',
  contact: 'email',
  company: 'domain',
};
