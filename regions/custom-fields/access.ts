import type { Tx } from '../../db/database.ts';
import { customFieldDefinitions } from '../../db/schema/index.ts';
import { lockTenantRow } from '../support/tenant-row.ts';

export const lockCustomField = (tx: Tx, organizationId: string, id: string) =>
  lockTenantRow(tx, customFieldDefinitions, organizationId, id, 'Custom field');
