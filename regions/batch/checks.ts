import type { Tx } from '../../db/database.ts';
import type { CustomFieldValues } from '../../db/schema/crm.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';
import { checkCompany } from '../contacts/access.ts';
import { definitionsFor } from '../custom-fields/definitions.ts';
import { type CustomFieldEntity, validateCustomFields } from '../custom-fields/values.ts';
import { checkLinks } from '../deals/links.ts';
import { resolvePlacement } from '../deals/placement.ts';
import { checkOwner } from '../support/owner.ts';

export type ChunkChecks = ReturnType<typeof chunkChecks>;

/**
 * The single writes' own checks, each asked once per distinct value in a chunk (a batch names few owners,
 * companies and pipelines). They only read, or lock for share, and refuse by throwing the ApiError the single
 * write would answer, so a refusal fails its record alone and leaves the chunk's transaction usable.
 */
export function chunkChecks(tx: Tx, principal: Principal) {
  const { organizationId } = principal;
  const asked = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, check: () => Promise<T>): Promise<T> => {
    let answer = asked.get(key) as Promise<T> | undefined;
    if (!answer) {
      answer = check();
      // Kept for the next record that asks; each asker awaits it, so a refusal is never left unhandled.
      answer.catch(() => undefined);
      asked.set(key, answer);
    }
    return answer;
  };
  const owner = (ownerId: string | null | undefined) =>
    ownerId === undefined ? Promise.resolve() : once(`owner:${ownerId}`, () => checkOwner(tx, principal, ownerId));
  const definitions = (entity: CustomFieldEntity) =>
    once(`definitions:${entity}`, () => definitionsFor(tx, organizationId, entity));
  return {
    owner,
    /** The owner a new record gets, as the single create sets it: the one named, else a sales rep themself. */
    async newOwner(ownerId: string | null | undefined): Promise<string | null> {
      const chosen = ownerId === undefined ? ownRecordsOnly(principal) : ownerId;
      await owner(chosen);
      return chosen ?? null;
    },
    /** A new record's custom field values, checked against the organization's definitions (required ones too). */
    async newCustomFields(entity: CustomFieldEntity, values: Record<string, unknown> | undefined) {
      return validateCustomFields(await definitions(entity), entity, values, { partial: false });
    },
    /** A matched record's custom field values with those sent merged in, as a PATCH does; undefined if none sent. */
    async patchedCustomFields(
      entity: CustomFieldEntity,
      values: Record<string, unknown> | undefined,
      current: CustomFieldValues,
    ): Promise<CustomFieldValues | undefined> {
      if (values === undefined) return undefined;
      return validateCustomFields(await definitions(entity), entity, values, { partial: true, current });
    },
    /** A contact's company: one of the organization's, held (shared) until the chunk commits. */
    company: (companyId: string | null | undefined) =>
      companyId ? once(`company:${companyId}`, () => checkCompany(tx, organizationId, companyId)) : Promise.resolve(),
    /** A deal's contact (one the caller may see) and company, as the single deal writes check them. */
    async links(links: { contactId?: string | null; companyId?: string | null }) {
      const { contactId, companyId } = links;
      if (contactId) await once(`deal-contact:${contactId}`, () => checkLinks(tx, principal, { contactId }));
      if (companyId) await once(`deal-company:${companyId}`, () => checkLinks(tx, principal, { companyId }));
    },
    /** A deal's pipeline (held shared) and stage: the ones named, or the default pipeline's first open stage. */
    placement: (wanted: { pipelineId?: string; stageId?: string }) =>
      once(`placement:${wanted.pipelineId ?? ''}:${wanted.stageId ?? ''}`, () =>
        resolvePlacement(tx, organizationId, wanted),
      ),
  };
}
