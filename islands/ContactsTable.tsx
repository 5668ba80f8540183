import { useSignal } from '@preact/signals';
import { api } from '../web/client/api.ts';
import { type Column, type KeysetPage, KeysetTable } from '../web/components/keyset-table.tsx';
import { type Display, formatDay } from '../web/display.ts';
import { island } from '../web/island.tsx';

export type ContactRow = {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  lifecycleStage: string;
  companyId: string | null;
  ownerId: string | null;
  createdAt: string;
};

type Props = {
  rows: ContactRow[];
  nextCursor: string | null;
  query: string;
  companies: Record<string, string>;
  owners: Record<string, string>;
  display: Display;
};

const stages: Record<string, string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
};
const nameOf = (r: ContactRow) => `${r.firstName} ${r.lastName}`.trim() || r.email || r.phone || '(no name)';

export const toContactRow = (c: ContactRow): ContactRow => ({
  id: c.id,
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email,
  phone: c.phone,
  lifecycleStage: c.lifecycleStage,
  companyId: c.companyId,
  ownerId: c.ownerId,
  createdAt: c.createdAt,
});

/**
 * The contacts list: the keyset table with the contacts' columns. Company names of newly loaded rows are looked up
 * once each before the rows show.
 */
function ContactsTable(props: Props) {
  const companies = useSignal(props.companies);
  const companyOf = (r: ContactRow) => (r.companyId ? (companies.value[r.companyId] ?? '') : '');
  const ownerOf = (r: ContactRow) => (r.ownerId ? (props.owners[r.ownerId] ?? '') : '');
  const columns: Column<ContactRow>[] = [
    {
      label: 'Name',
      sortValue: (r) => nameOf(r).toLowerCase(),
      cell: (r) => (
        <a href={`/contacts/${r.id}`} class="font-medium text-indigo-700 underline">
          {nameOf(r)}
        </a>
      ),
    },
    { label: 'Email', cell: (r) => r.email ?? '', class: 'break-all' },
    {
      label: 'Company',
      sortValue: (r) => companyOf(r).toLowerCase(),
      cell: (r) =>
        r.companyId && companyOf(r) ? (
          <a href={`/companies/${r.companyId}`} class="text-indigo-700 underline">
            {companyOf(r)}
          </a>
        ) : (
          ''
        ),
    },
    {
      label: 'Stage',
      sortValue: (r) => r.lifecycleStage,
      cell: (r) => stages[r.lifecycleStage] ?? r.lifecycleStage,
    },
    { label: 'Owner', sortValue: (r) => ownerOf(r).toLowerCase(), cell: ownerOf },
    {
      label: 'Created',
      sortValue: (r) => r.createdAt,
      cell: (r) => formatDay(r.createdAt, props.display),
      class: 'whitespace-nowrap',
    },
  ];

  async function lookUpCompanies(added: ContactRow[]) {
    const unknown = [
      ...new Set(added.flatMap((r) => (r.companyId && !companies.value[r.companyId] ? [r.companyId] : []))),
    ];
    const found = await Promise.all(unknown.map((id) => api<{ id: string; name: string }>(`/api/v1/companies/${id}`)));
    companies.value = {
      ...companies.value,
      ...Object.fromEntries(found.flatMap((f) => (f.ok ? [[f.data.id, f.data.name]] : []))),
    };
  }

  return (
    <KeysetTable
      noun="contacts"
      idAttribute="data-contact-id"
      rows={props.rows}
      nextCursor={props.nextCursor}
      columns={columns}
      beforeShow={lookUpCompanies}
      loadPage={async (cursor) => {
        const page = await api<KeysetPage<ContactRow>>(
          `/api/v1/contacts?${props.query}&cursor=${encodeURIComponent(cursor)}`,
        );
        return page.ok ? { ...page, data: { ...page.data, data: page.data.data.map(toContactRow) } } : page;
      }}
    />
  );
}

export default island('ContactsTable', ContactsTable);
