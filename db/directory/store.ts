import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import type { Connection } from '../database.ts';
import { directoryLogins, directoryOrganizations, directorySsoDomains } from './schema.ts';

export const directoryMigrations = fileURLToPath(new URL('../directory-migrations', import.meta.url));

export type OrganizationEntry = { slug: string; organizationId: string; region: string };
export type LoginEntry = { email: string; organizationId: string; userId: string; region: string };
export type SsoDomainEntry = { domain: string; organizationId: string; region: string; requireSso: boolean };

/** The global directory: where an account lives, found before any token exists. It holds no CRM data. */
export interface Directory {
  /** Reserves a slug; false when another organization has it. */
  claimOrganization(entry: OrganizationEntry): Promise<boolean>;
  /** Reserves a login email; false when it is registered already. */
  claimLogin(entry: LoginEntry): Promise<boolean>;
  /** Undoes a claim whose shard write failed, so a retry can succeed. */
  release(claim: { slug?: string; email?: string }): Promise<void>;
  findLogin(email: string): Promise<LoginEntry | null>;
  findOrganization(slug: string): Promise<OrganizationEntry | null>;
  /** Registers a verified SSO domain (or updates its owner's row); false when another organization holds it. */
  claimSsoDomain(entry: SsoDomainEntry): Promise<boolean>;
  /** Drops a domain, only if this organization holds it. */
  releaseSsoDomain(claim: { domain: string; organizationId: string }): Promise<void>;
  findSsoDomain(domain: string): Promise<SsoDomainEntry | null>;
}

export class SqlDirectory implements Directory {
  constructor(private readonly connection: Connection) {}

  private get db() {
    return this.connection.db;
  }

  async claimOrganization(entry: OrganizationEntry) {
    const rows = await this.db.insert(directoryOrganizations).values(entry).onConflictDoNothing().returning();
    return rows.length === 1;
  }

  async claimLogin(entry: LoginEntry) {
    const rows = await this.db.insert(directoryLogins).values(entry).onConflictDoNothing().returning();
    return rows.length === 1;
  }

  async release(claim: { slug?: string; email?: string }) {
    if (claim.slug) await this.db.delete(directoryOrganizations).where(eq(directoryOrganizations.slug, claim.slug));
    if (claim.email) await this.db.delete(directoryLogins).where(eq(directoryLogins.email, claim.email));
  }

  async findLogin(email: string) {
    const [row] = await this.db.select().from(directoryLogins).where(eq(directoryLogins.email, email)).limit(1);
    return row
      ? { email: row.email, organizationId: row.organizationId, userId: row.userId, region: row.region }
      : null;
  }

  async findOrganization(slug: string) {
    const [row] = await this.db
      .select()
      .from(directoryOrganizations)
      .where(eq(directoryOrganizations.slug, slug))
      .limit(1);
    return row ? { slug: row.slug, organizationId: row.organizationId, region: row.region } : null;
  }

  async claimSsoDomain(entry: SsoDomainEntry) {
    const rows = await this.db
      .insert(directorySsoDomains)
      .values(entry)
      .onConflictDoUpdate({
        target: directorySsoDomains.domain,
        set: { requireSso: entry.requireSso },
        setWhere: eq(directorySsoDomains.organizationId, entry.organizationId),
      })
      .returning();
    return rows.length === 1;
  }

  async releaseSsoDomain(claim: { domain: string; organizationId: string }) {
    await this.db
      .delete(directorySsoDomains)
      .where(
        and(eq(directorySsoDomains.domain, claim.domain), eq(directorySsoDomains.organizationId, claim.organizationId)),
      );
  }

  async findSsoDomain(domain: string) {
    const [row] = await this.db
      .select()
      .from(directorySsoDomains)
      .where(eq(directorySsoDomains.domain, domain))
      .limit(1);
    return row
      ? { domain: row.domain, organizationId: row.organizationId, region: row.region, requireSso: row.requireSso }
      : null;
  }
}
