import type { RawDb } from './database.ts';

/** How much to seed into one organization. */
export type SeedSizes = { leads: number; deals: number; activities: number };

/** Rows per transaction: large enough to be quick, small enough to show progress on a million. */
const CHUNK = 100_000;
/** Records are spread over the last two years, so a 3-year report covers all of them and a 30-day one ~4%. */
const SPAN_SECONDS = 2 * 365 * 24 * 3600;

/**
 * When row `g` of `total` was created: evenly over the span, in the order of g, as a CRM's records arrive. So a
 * month's rows sit together on disk as they would in production, not scattered over every page of the table.
 */
const createdAt = (total: number) =>
  `now() - ((${Math.trunc(total)} - g)::float8 / ${Math.trunc(total)} * ${SPAN_SECONDS}) * interval '1 second'`;
/** One of the reps (the uuid[] parameter `param`) by g, or nobody for every `every`-th row. */
const repOf = (every: number, param: string) =>
  `CASE WHEN g % ${every} = 0 THEN NULL ELSE (${param}::uuid[])[1 + g % cardinality(${param}::uuid[])] END`;

/**
 * People's names: 40 first names by g, 40 last names by g ÷ 40, so the 1,600 full names recur as a CRM's do and a
 * search for one finds some records, not all (identical names on every row would make every row match a search).
 */
export const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Margaret',
  'Ken',
  'Frances',
  'Dennis',
  'Linus',
  'Radia',
  'John',
  'Hedy',
  'Tim',
  'Katherine',
  'Claude',
  'Sophie',
  'Niklaus',
  'Annie',
  'Leslie',
  'Mary',
  'Bjarne',
  'Jean',
  'Guido',
  'Adele',
  'Vint',
  'Carol',
  'Robert',
  'Evelyn',
  'James',
  'Shafi',
  'Whitfield',
  'Ida',
  'Brian',
  'Lynn',
  'Larry',
  'Joan',
  'Martin',
  'Elena',
];
export const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Hamilton',
  'Thompson',
  'Allen',
  'Ritchie',
  'Torvalds',
  'Perlman',
  'McCarthy',
  'Lamarr',
  'Berners',
  'Johnson',
  'Shannon',
  'Wilson',
  'Wirth',
  'Easley',
  'Lamport',
  'Keller',
  'Stroustrup',
  'Sammet',
  'Rossum',
  'Goldberg',
  'Cerf',
  'Shaw',
  'Tarjan',
  'Berezin',
  'Gosling',
  'Goldwasser',
  'Diffie',
  'Rhodes',
  'Kernighan',
  'Conway',
  'Page',
  'Clarke',
  'Hellman',
  'Ortega',
];
const nameSql = (list: readonly string[]) => `(ARRAY[${list.map((name) => `'${name}'`).join(', ')}])`;
/** First and last name of row g, as SQL. */
const firstOf = `${nameSql(FIRST_NAMES)}[1 + g % ${FIRST_NAMES.length}]`;
const lastOf = `${nameSql(LAST_NAMES)}[1 + (g / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}]`;

/**
 * Deals: 60% open (spread over the open stages), 25% won, 15% lost, closed up to 90 days after creation; mostly
 * USD with some EUR and GBP. Ids are derived from g, so converted leads can point at them.
 * $1 organization, $2 pipeline, $3 reps, $4 open stages, $5 won stage, $6 lost stage, $7/$8 range of g.
 */
const dealsSql = (
  total: number,
) => `INSERT INTO deals (organization_id, id, name, amount, currency, pipeline_id, stage_id, status,
    closed_at, owner_id, created_at, updated_at, stage_entered_at)
  SELECT $1, md5('deal-' || g)::uuid, 'Deal ' || g, ((g::bigint * 7919) % 100000) + 0.5,
    CASE WHEN g % 10 = 0 THEN 'EUR' WHEN g % 25 = 0 THEN 'GBP' ELSE 'USD' END, $2,
    CASE s.status WHEN 'won' THEN $5::uuid WHEN 'lost' THEN $6::uuid
      ELSE ($4::uuid[])[1 + g % cardinality($4::uuid[])] END,
    s.status, CASE WHEN s.status <> 'open' THEN least(now(), c.at + (g % 90) * interval '1 day') END,
    ${repOf(12, '$3')}, c.at, c.at, c.at
  FROM generate_series($7::int, $8::int) g,
    LATERAL (SELECT CASE WHEN g % 20 < 12 THEN 'open' WHEN g % 20 < 17 THEN 'won' ELSE 'lost' END AS status) s,
    LATERAL (SELECT ${createdAt(total)} AS at) c`;

/**
 * Leads: seven sources (one null), 10% converted to a contact, half of those also to a deal (one of the seeded
 * deals), owners spread over the reps with one in eight unassigned. $2: the number of deals, $3: reps.
 */
const leadsSql = (
  total: number,
) => `INSERT INTO leads (organization_id, id, first_name, last_name, email, phone, company, title, source,
    status, owner_id, score, created_at, updated_at, converted_at, converted_contact_id, converted_deal_id)
  SELECT $1, gen_random_uuid(), ${firstOf}, ${lastOf},
    lower(${firstOf} || '.' || ${lastOf}) || '.' || g || '@company' || (g % 5000) || '.example',
    '+1 555 ' || lpad((g % 10000000)::text, 7, '0'), 'Company ' || (g % 5000), 'Engineer',
    (ARRAY['web_form', 'referral', 'event', 'partner', 'cold_call', 'advertising', NULL])[1 + g % 7],
    CASE WHEN g % 10 = 0 THEN 'converted' ELSE (ARRAY['new', 'contacted', 'qualified', 'unqualified'])[1 + g % 4] END,
    ${repOf(8, '$3')}, g % 100, c.at, c.at,
    CASE WHEN g % 10 = 0 THEN c.at + interval '3 days' END,
    CASE WHEN g % 10 = 0 THEN md5('contact-' || g)::uuid END,
    CASE WHEN g % 20 = 0 AND g / 20 <= $2 THEN md5('deal-' || (g / 20))::uuid END
  FROM generate_series($4::int, $5::int) g, LATERAL (SELECT ${createdAt(total)} AS at) c`;

/** Activities of the five types; half the tasks done a day after creation; meetings two days after. $2: reps. */
const activitiesSql = (
  total: number,
) => `INSERT INTO activities (organization_id, id, type, subject, owner_id, done, completed_at,
    starts_at, created_at, updated_at)
  SELECT $1, gen_random_uuid(), t.type, 'Activity ' || g, ${repOf(15, '$2')},
    t.type = 'task' AND g % 2 = 0, CASE WHEN t.type = 'task' AND g % 2 = 0 THEN c.at + interval '1 day' END,
    CASE WHEN t.type = 'meeting' THEN c.at + interval '2 days' END, c.at, c.at
  FROM generate_series($3::int, $4::int) g,
    LATERAL (SELECT (ARRAY['task', 'call', 'meeting', 'note', 'email'])[1 + g % 5] AS type) t,
    LATERAL (SELECT ${createdAt(total)} AS at) c`;

/**
 * Contacts: one for every converted lead (every tenth g), with the id the lead's converted_contact_id names, so
 * the seeded records point at each other as a CRM's do. $2: reps, $3/$4: the leads' range of g.
 */
const contactsSql = (
  total: number,
) => `INSERT INTO contacts (organization_id, id, first_name, last_name, email, phone, title, lifecycle_stage,
    owner_id, created_at, updated_at)
  SELECT $1, md5('contact-' || g)::uuid, ${firstOf}, ${lastOf},
    lower(${firstOf} || '.' || ${lastOf}) || '.' || g || '@company' || (g % 5000) || '.example',
    '+1 555 ' || lpad((g % 10000000)::text, 7, '0'), 'Engineer', 'customer', ${repOf(8, '$2')},
    c.at + interval '3 days', c.at + interval '3 days'
  FROM generate_series($3::int, $4::int) g, LATERAL (SELECT ${createdAt(total)} AS at) c
  WHERE g % 10 = 0`;

type Stage = { id: string; kind: string };

/** The tables the seed fills, whose secondary indexes it takes off during a bulk load. */
const SEEDED_TABLES = ['leads', 'contacts', 'deals', 'activities'];

/**
 * Fills one organization through the application role, inside its RLS scope (set_config per transaction, as the
 * region does), with INSERT … SELECT generate_series: the server makes the rows, so nothing crosses the wire and
 * a million take seconds (as fast as COPY, which would still send every row). Rows only: see
 * withoutSecondaryIndexes for the indexes and statistics.
 */
export async function seedOrganizationRows(
  raw: RawDb,
  organizationId: string,
  repIds: readonly string[],
  sizes: SeedSizes,
  log: (message: string) => void,
): Promise<void> {
  const { pipelineId, stages } = await raw.inTenant(organizationId, async (query) => {
    const [pipeline] = await query<{ id: string }>(
      'SELECT id FROM pipelines WHERE organization_id = $1 AND is_default',
      [organizationId],
    );
    if (!pipeline) throw new Error('the organization has no default pipeline');
    const rows = await query<Stage>(
      'SELECT id, kind FROM pipeline_stages WHERE organization_id = $1 AND pipeline_id = $2',
      [organizationId, pipeline.id],
    );
    return { pipelineId: pipeline.id, stages: rows };
  });
  const open = stages.filter((s) => s.kind === 'open').map((s) => s.id);
  const won = stages.find((s) => s.kind === 'won')?.id;
  const lost = stages.find((s) => s.kind === 'lost')?.id;
  if (!open.length || !won || !lost) throw new Error('the default pipeline lacks open, won or lost stages');

  const chunked = async (
    table: string,
    total: number,
    sql: string,
    params: (from: number, to: number) => unknown[],
  ) => {
    const started = Date.now();
    for (let from = 1; from <= total; from += CHUNK) {
      const to = Math.min(total, from + CHUNK - 1);
      await raw.inTenant(organizationId, (query) => query(sql, params(from, to)));
    }
    log(`seeded ${total.toLocaleString('en-US')} ${table} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  };
  const reps = [...repIds];
  await chunked('deals', sizes.deals, dealsSql(sizes.deals), (from, to) => [
    organizationId,
    pipelineId,
    reps,
    open,
    won,
    lost,
    from,
    to,
  ]);
  await chunked('leads', sizes.leads, leadsSql(sizes.leads), (from, to) => [
    organizationId,
    sizes.deals,
    reps,
    from,
    to,
  ]);
  // Counted in leads (every tenth converted lead has its contact): a tenth of that many rows.
  await chunked('contacts (one per converted lead)', sizes.leads, contactsSql(sizes.leads), (from, to) => [
    organizationId,
    reps,
    from,
    to,
  ]);
  await chunked('activities', sizes.activities, activitiesSql(sizes.activities), (from, to) => [
    organizationId,
    reps,
    from,
    to,
  ]);
}

/**
 * Runs a bulk load with the seeded tables' secondary indexes off, then builds them again from their own
 * definitions and runs VACUUM ANALYZE, as autovacuum would have done long before anyone read the data.
 */
export async function withoutSecondaryIndexes(
  raw: RawDb,
  load: () => Promise<void>,
  log: (message: string) => void,
): Promise<void> {
  // Maintaining every index row by row (three GIN indexes on leads) is what makes a bulk load slow: take the
  // secondary indexes off and build them again from their own definitions once the rows are in.
  const secondary = await raw.query<{ name: string; definition: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
      WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
    [SEEDED_TABLES],
  );
  for (const index of secondary) await raw.asOwner(`DROP INDEX "${index.name}"`);
  await load();
  const started = Date.now();
  // A GIN build sorts in maintenance_work_mem; the default 64 MB makes the trigram indexes spill for minutes.
  if (raw.kind === 'postgres') await raw.query("SET maintenance_work_mem = '512MB'");
  for (const index of secondary) await raw.asOwner(index.definition);
  log(`rebuilt ${secondary.length} indexes in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const table of SEEDED_TABLES) await raw.asOwner(`VACUUM ANALYZE ${table}`);
}

/** One organization, its indexes rebuilt after the load: what the reports benchmark reads. */
export async function seedCrm(
  raw: RawDb,
  organizationId: string,
  repIds: readonly string[],
  sizes: SeedSizes,
  log: (message: string) => void,
): Promise<void> {
  await withoutSecondaryIndexes(raw, () => seedOrganizationRows(raw, organizationId, repIds, sizes, log), log);
}
