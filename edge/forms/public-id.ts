/**
 * A form's public id, `frm_<region>_<organization id><form id>` (both UUIDs as 32 hex digits). It is not a secret
 * (it sits in every page that embeds the form); it names the home region so the edge routes a public request
 * without a token or lookup, and the organization so the region finds the shard, as `inb_`/`ck_` tokens do.
 */
const pattern = /^frm_([a-z][a-z0-9-]{1,15})_([0-9a-f]{32})([0-9a-f]{32})$/;

const hex = (uuid: string) => uuid.replace(/-/g, '').toLowerCase();
const uuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

export function formPublicId(region: string, organizationId: string, formId: string): string {
  return `frm_${region}_${hex(organizationId)}${hex(formId)}`;
}

export function parseFormPublicId(value: string): { region: string; organizationId: string; formId: string } | null {
  const match = pattern.exec(value);
  if (!match) return null;
  return { region: match[1]!, organizationId: uuid(match[2]!), formId: uuid(match[3]!) };
}
