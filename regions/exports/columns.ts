import type { activities, companies, contacts, deals, leads } from '../../db/schema/index.ts';
import type { ExportEntity } from '../../openapi/schemas/exports.ts';

type Rows = {
  leads: typeof leads.$inferSelect;
  contacts: typeof contacts.$inferSelect;
  companies: typeof companies.$inferSelect;
  deals: typeof deals.$inferSelect;
  activities: typeof activities.$inferSelect;
};
export type ExportRow<E extends ExportEntity> = Rows[E];

type Column<R> = readonly [header: string, value: (row: R) => unknown];

const pick = <R>(...fields: (keyof R & string)[]): Column<R>[] =>
  fields.map((field) => [field, (row: R) => row[field]] as const);

/**
 * The columns of each export, named like the API's fields so that an export imports back as it is (the
 * importer suggests these names as its mapping). Custom fields are not exported yet.
 */
export const exportColumns: { [E in ExportEntity]: readonly Column<Rows[E]>[] } = {
  leads: pick<Rows['leads']>(
    'id',
    'firstName',
    'lastName',
    'email',
    'phone',
    'company',
    'title',
    'source',
    'status',
    'score',
    'ownerId',
    'tags',
    'convertedAt',
    'createdAt',
    'updatedAt',
  ),
  contacts: pick<Rows['contacts']>(
    'id',
    'firstName',
    'lastName',
    'email',
    'phone',
    'title',
    'lifecycleStage',
    'companyId',
    'ownerId',
    'marketingEmailConsent',
    'consentSource',
    'consentGivenAt',
    'tags',
    'createdAt',
    'updatedAt',
  ),
  companies: [
    ...pick<Rows['companies']>('id', 'name', 'domain', 'industry', 'size'),
    ...(['street', 'city', 'region', 'postalCode', 'country'] as const).map(
      (part) => [part, (row: Rows['companies']) => row.address?.[part]] as const,
    ),
    ...pick<Rows['companies']>('ownerId', 'tags', 'createdAt', 'updatedAt'),
  ],
  deals: pick<Rows['deals']>(
    'id',
    'name',
    'amount',
    'currency',
    'status',
    'pipelineId',
    'stageId',
    'expectedCloseDate',
    'ownerId',
    'contactId',
    'companyId',
    'closedAt',
    'closeReason',
    'tags',
    'createdAt',
    'updatedAt',
  ),
  activities: pick<Rows['activities']>(
    'id',
    'type',
    'subject',
    'body',
    'priority',
    'done',
    'dueAt',
    'completedAt',
    'ownerId',
    'leadId',
    'contactId',
    'companyId',
    'dealId',
    'createdAt',
    'updatedAt',
  ),
};
