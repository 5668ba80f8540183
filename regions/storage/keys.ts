/**
 * Keys become file paths (and S3 object names), so only a narrow shape is accepted: slash-separated segments of
 * letters, digits, `.`, `_` and `-`, none of them `.` or `..`, and no leading slash. Anything else is a bug in the
 * caller, never something a client can reach, so it throws rather than answering 400.
 */
const segment = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export function isSafeKey(key: string): boolean {
  if (key.length === 0 || key.length > 512) return false;
  return key.split('/').every((part) => segment.test(part));
}

export function assertSafeKey(key: string): string {
  if (!isSafeKey(key)) throw new Error(`unsafe storage key ${JSON.stringify(key)}`);
  return key;
}

/** Files are grouped by organization, so erasing an organization (or moving it) finds every file by prefix. */
export const storageKeys = {
  attachment: (organizationId: string, attachmentId: string) => `orgs/${organizationId}/attachments/${attachmentId}`,
  importUpload: (organizationId: string, importId: string) => `orgs/${organizationId}/imports/${importId}.csv`,
  importErrors: (organizationId: string, importId: string) => `orgs/${organizationId}/imports/${importId}.errors.csv`,
};
