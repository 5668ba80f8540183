/**
 * The public id of a SAML connection's service provider side, `sp_<region>_<organization id><connection id>` (both
 * UUIDs as 32 hex digits), in its metadata URL. Not a secret: IdP administrators fetch the metadata without a token,
 * so the id names the home region for the edge to route it and the organization for the region to find the shard,
 * as a form's public id does (edge/forms/public-id.ts).
 */
const pattern = /^sp_([a-z][a-z0-9-]{1,15})_([0-9a-f]{32})([0-9a-f]{32})$/;

const hex = (uuid: string) => uuid.replace(/-/g, '').toLowerCase();
const uuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

export function samlSpPublicId(region: string, organizationId: string, connectionId: string): string {
  return `sp_${region}_${hex(organizationId)}${hex(connectionId)}`;
}

export function parseSamlSpPublicId(
  value: string,
): { region: string; organizationId: string; connectionId: string } | null {
  const match = pattern.exec(value);
  if (!match) return null;
  return { region: match[1]!, organizationId: uuid(match[2]!), connectionId: uuid(match[3]!) };
}
