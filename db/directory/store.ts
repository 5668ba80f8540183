import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import type { Connection } from '../database.ts';
import { directoryLogins, directoryOrganizations } from './schema.ts';

export const directoryMigrations = fileURLToPath(new URL('../directory-migrations', import.meta.url));

export type OrganizationEntry = { slug: string; organizationId: string; region: string };
export type LoginEntry = { email: string; organizationId: string; userId: string; region: string };

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
}
