import { newId } from '../../db/ids.ts';
import { imports } from '../../db/schema/index.ts';
import { ApiError, badRequest, fieldIssues } from '../../openapi/errors.ts';
import { type ImportEntity, ImportEntitySchema } from '../../openapi/schemas/imports.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';
import { safeFilename } from '../attachments/content-types.ts';
import { receiveUpload } from '../attachments/multipart.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { storageKeys } from '../storage/keys.ts';
import { lockstep } from '../storage/streams.ts';
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

/** The file's declared type (415 unless a CSV's), checked before a byte of it is stored. */
function checkCsvType(mimeType: string, filename: string) {
  const type = mimeType.split(';')[0]!.trim().toLowerCase();
  if (!csvTypes.has(type) && !(unlabelled.has(type) && /\.csv$/i.test(filename))) {
    throw new ApiError(415, 'unsupported_media_type', 'Upload a CSV file (text/csv)');
  }
}

function entityOf(fields: Record<string, string>): ImportEntity {
  const parsed = ImportEntitySchema.safeParse(fields.entity);
  if (parsed.success) return parsed.data;
  const issues = fieldIssues(parsed.error.issues.map((issue) => ({ ...issue, path: ['entity', ...issue.path] })));
  throw badRequest('validation_failed', 'The request form is invalid', issues);
}

/**
 * Receives the multipart upload as a stream (the CSV goes into storage as it arrives, hashed and size-limited on
 * the way, never held whole: a 100 MiB file costs the region a chunk or two), then checks the stored CSV (read
 * once more, streamed, to find its header row and count its rows) and records the import with a suggested mapping
 * (to built-in and custom fields), its audit row and `import.created` event. Nothing is imported until it starts.
 * Whatever fails after the file is stored (the form, the CSV, the transaction) deletes it again.
 */
export async function createImport(
  ctx: RegionContext,
  actor: Actor,
  upload: { body: ReadableStream<Uint8Array>; contentType: string },
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  const { organizationId } = principal;
  assertCan(principal, 'data:import');
  const id = newId();
  const storageKey = storageKeys.importUpload(organizationId, id);
  const { fields, file } = await receiveUpload(upload.body, {
    contentType: upload.contentType,
    maxFileBytes: ctx.uploadLimits.importBytes,
    store: async (incoming) => {
      checkCsvType(incoming.mimeType, incoming.filename);
      return storeAndScan(ctx, storageKey, incoming.stream);
    },
    discard: () => discard(ctx, storageKey),
  });
  const filename = safeFilename(file.filename);
  const { headers, totalRows } = file.stored;
  try {
    const entity = entityOf(fields);
    assertCan(principal, entityPermission(entity, 'create'));
    const digest = idempotencyKey ? file.sha256 : null;
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
    await discard(ctx, storageKey);
    throw error;
  }
}

/**
 * Stores the CSV and reads it for its header row and row count in the same pass, in step (the answer comes right
 * after the last byte, not after a second read of a large file). A file that is not valid CSV stops its storing.
 */
async function storeAndScan(ctx: RegionContext, key: string, stream: ReadableStream<Uint8Array>) {
  const { streams, abort } = lockstep(stream);
  const scanned = scanCsv(streams[1]).catch((error: unknown) => {
    abort(error);
    throw error;
  });
  const [, scan] = await Promise.all([ctx.storage.put(key, streams[0], 'text/csv'), scanned]);
  return scan;
}

async function discard(ctx: RegionContext, key: string) {
  await ctx.storage.delete(key).catch((err) => ctx.log.error({ err, key }, 'could not delete an orphaned upload'));
}
