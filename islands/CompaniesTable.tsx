import { api } from '../web/client/api.ts';
import { type Column, type KeysetPage, KeysetTable } from '../web/components/keyset-table.tsx';
import { type Display, formatDay } from '../web/display.ts';
import { island } from '../web/island.tsx';

export type CompanyRow = {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  ownerId: string | null;
  createdAt: string;
};

type Props = {
  rows: CompanyRow[];
  nextCursor: string | null;
  query: string;
  owners: Record<string, string>;
  display: Display;
};

export const toCompanyRow = (c: CompanyRow): CompanyRow => ({
  id: c.id,
  name: c.name,
  domain: c.domain,
  industry: c.industry,
  size: c.size,
  ownerId: c.ownerId,
  createdAt: c.createdAt,
});

// Size bands sort by headcount, not as text ("11-50" before "1001-5000").
const sizeOrder = (size: string | null) => (size ? Number.parseInt(size, 10) : -1);
const text = (value: string | null) => (value ?? '').toLowerCase();

/** The companies list: the keyset table with the companies' columns. */
function CompaniesTable(props: Props) {
  const ownerOf = (r: CompanyRow) => (r.ownerId ? (props.owners[r.ownerId] ?? '') : '');
  const columns: Column<CompanyRow>[] = [
    {
      label: 'Name',
      sortValue: (r) => text(r.name),
      cell: (r) => (
        <a href={`/companies/${r.id}`} class="font-medium text-indigo-700 underline">
          {r.name}
        </a>
      ),
    },
    { label: 'Domain', sortValue: (r) => text(r.domain), cell: (r) => r.domain ?? '', class: 'break-all' },
    { label: 'Industry', sortValue: (r) => text(r.industry), cell: (r) => r.industry ?? '' },
    { label: 'Size', sortValue: (r) => sizeOrder(r.size), cell: (r) => r.size ?? '', class: 'whitespace-nowrap' },
    { label: 'Owner', sortValue: (r) => ownerOf(r).toLowerCase(), cell: ownerOf },
    {
      label: 'Created',
      sortValue: (r) => r.createdAt,
      cell: (r) => formatDay(r.createdAt, props.display),
      class: 'whitespace-nowrap',
    },
  ];
  return (
    <KeysetTable
      noun="companies"
      idAttribute="data-company-id"
      rows={props.rows}
      nextCursor={props.nextCursor}
      columns={columns}
      loadPage={async (cursor) => {
        const page = await api<KeysetPage<CompanyRow>>(
          `/api/v1/companies?${props.query}&cursor=${encodeURIComponent(cursor)}`,
        );
        return page.ok ? { ...page, data: { ...page.data, data: page.data.data.map(toCompanyRow) } } : page;
      }}
    />
  );
}

export default island('CompaniesTable', CompaniesTable);
