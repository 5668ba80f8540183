/**
 * The leads list's state as URL parameters (so a filtered, sorted list can be bookmarked and shared), shared by the
 * page on the server and the table island in the browser.
 */
export const filterNames = ['q', 'status', 'ownerId', 'source', 'tag', 'scoreMin', 'scoreMax'] as const;

export type CustomFieldDef = { key: string; label: string; type: string; options: string[] | null };
export type Filters = Record<string, string>;

export const defaultSort = '-createdAt';

/** The filters of a URL: the list's own and `cf.<key>` for each custom field of leads; empty values are no filter. */
export function filtersOf(params: URLSearchParams, fields: readonly CustomFieldDef[]): Filters {
  const filters: Filters = {};
  for (const name of [...filterNames, ...fields.map((f) => `cf.${f.key}`)]) {
    const value = (params.get(name) ?? '').trim();
    if (value) filters[name] = value.slice(0, 500);
  }
  return filters;
}

/** The query string of filters and sort (no page size or cursor); the default sort is left out. */
export function listQuery(filters: Filters, sort: string): string {
  const query = new URLSearchParams(filters);
  if (sort && sort !== defaultSort) query.set('sort', sort);
  return query.toString();
}

/** A saved view's sort (the API's `[{ field, direction }]`) as the list's `sort` parameter, and back. */
export const sortParam = (sort: { field: string; direction: 'asc' | 'desc' }[] | undefined): string =>
  sort?.[0] ? `${sort[0].direction === 'desc' ? '-' : ''}${sort[0].field}` : defaultSort;

export const viewSort = (sort: string) => [
  { field: sort.replace(/^-/, ''), direction: sort.startsWith('-') ? ('desc' as const) : ('asc' as const) },
];
