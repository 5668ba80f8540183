/** Serialises migrations of one database when several processes start at once. */
export const MIGRATION_LOCK = 7_243_001;

/** Refuses a connection whose role would bypass row-level security. */
export async function assertNotPrivileged(id: string, query: <T>(text: string) => Promise<T[]>): Promise<void> {
  const [role] = await query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
    'SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
  );
  if (!role) throw new Error(`${id}: cannot read the connected role`);
  if (role.rolsuper || role.rolbypassrls) {
    throw new Error(
      `${id}: connected as "${role.rolname}", which bypasses row-level security; connect as an ordinary role (see README, "Real servers")`,
    );
  }
}
