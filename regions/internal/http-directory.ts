import type { Directory, LoginEntry, OrganizationEntry, SsoDomainEntry } from '../../db/directory/store.ts';
import { createRegionClient } from '../support/region-client.ts';

/** The directory as served by the region that owns it (the embedded default keeps it in one PGlite). */
export class HttpDirectory implements Directory {
  private readonly call: ReturnType<typeof createRegionClient>;
  constructor(baseUrl: string, key: CryptoKey) {
    this.call = createRegionClient(baseUrl, key);
  }

  private async ask<T>(operation: string, body: unknown): Promise<T> {
    const { status, data } = await this.call<{ result: T }>(`/internal/directory/${operation}`, body, {
      requestId: crypto.randomUUID(),
    });
    if (status !== 200) throw new Error(`directory ${operation} answered ${status}`);
    return data.result;
  }

  claimOrganization(entry: OrganizationEntry) {
    return this.ask<boolean>('claim-organization', entry);
  }
  claimLogin(entry: LoginEntry) {
    return this.ask<boolean>('claim-login', entry);
  }
  release(claim: { slug?: string; email?: string }) {
    return this.ask<void>('release', claim);
  }
  findLogin(email: string) {
    return this.ask<LoginEntry | null>('find-login', { email });
  }
  findOrganization(slug: string) {
    return this.ask<OrganizationEntry | null>('find-organization', { slug });
  }
  claimSsoDomain(entry: SsoDomainEntry) {
    return this.ask<boolean>('claim-sso-domain', entry);
  }
  releaseSsoDomain(claim: { domain: string; organizationId: string }) {
    return this.ask<void>('release-sso-domain', claim);
  }
  findSsoDomain(domain: string) {
    return this.ask<SsoDomainEntry | null>('find-sso-domain', { domain });
  }
}
