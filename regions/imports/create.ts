import { newId } from '../../db/ids.ts';
import { imports } from '../../db/schema/index.ts';
import { toHex } from '../../edge/protocol/encoding.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { ImportEntity } from '../../openapi/schemas/imports.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';
import { safeFilename } from '../attachments/content-types.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { storageKeys } from '../storage/keys.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { recordChange } from '../support/record.ts';
import { scanCsv } from './csv.ts';
import { importCustomFields } from './custom-fields.ts';
import type { ImportOptions } from './options.ts';
import { suggestMapping } from './suggest.ts';
import { importView } from './view.ts';

const plural = { lead: 'leads', contact: 'contacts', company: 'companies' } as const;
export const entityPermission = (entity: ImportEntity, action: 'create' | 'update') =>
  `${plural[entity]}:${action}` as Permission;

/** Browsers label CSV files in several ways (Windows: as Excel); a generic label is fine with a .csv name. */
const csvTypes = new Set(['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'text/x-csv']);
const unlabelled = new Set(['', 'application/octet-stream']);

function checkCsvFile(ctx: RegionContext, file: File) {
  const limit = ctx.uploadLimits.importBytes;
  if (file.size > limit) throw new ApiError(413, 'payload_too_large', `The file is larger than ${limit} bytes`);
  const type = file.type.split(';')[0]!.trim().toLowerCase();
  if (!csvTypes.has(type) && !(unlabelled.has(type) && /\.csv$/i.test(file.name))) {
    throw new ApiError(415, 'unsupported_media_type', 'Upload a CSV file (text/csv)');
  }
}

/**
 * Checks the CSV (read once, streamed, to find its header row and count its rows), stores it, and records the
 * import with a suggested mapping (to built-in and custom fields), its audit row and `import.created` event.
 * Nothing is imported until it starts.
 */
export async function createImport(
  ctx: RegionContext,
  actor: Actor,
  file: File,
  entity: ImportEntity,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  const { organizationId } = principal;
  assertCan(principal, 'data:import');
  assertCan(principal, entityPermission(entity, 'create'));
  checkCsvFile(ctx, file);
  const { headers, totalRows } = await scanCsv(file.stream());
  const id = newId();
  const storageKey = storageKeys.importUpload(organizationId, id);
  await ctx.storage.put(storageKey, file.stream(), 'text/csv');
  const filename = safeFilename(file.name);
  try {
    const digest = idempotencyKey
      ? toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer())))
      : null;
    const result = await ctx.shards.withTenant(organizationId, async (tx) => {
      if (idempotencyKey) {
        const request = { op: 'createImport', entity, filename, digest, actor: actorId(principal) };
        const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, request);
        if (prior) return { ...prior, replayed: true };
      }
      const options: ImportOptions = { onDuplicate: 'skip', headers };
      const customFields = await importCustomFields(tx, organizationId, entity);
      const [row] = await tx
        .insert(imports)
        .values({
          organizationId,
          id,
          entity,
          filename,
          storageKey,
          mapping: suggestMapping(entity, headers, customFields),
          options,
          totalRows,
          createdBy: actorId(principal),
        })
        .returning();
      const view = importView(
        row!,
        customFields.map((field) => field.key),
      );
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'import.created',
        target: { type: 'import', id },
        changes: { entity, filename, totalRows, headers },
        event: { type: 'import.created', payload: view },
      });
      const response = { status: 201, body: view };
      if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
      return { ...response, replayed: false };
    });
    if (result.replayed) await ctx.storage.delete(storageKey);
    return result;
  } catch (error) {
    await ctx.storage
      .delete(storageKey)
      .catch((err) => ctx.log.error({ err, key: storageKey }, 'could not delete an orphaned upload'));
    throw error;
  }
}
