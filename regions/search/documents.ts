import type { SearchDocument } from './typesense.ts';

/** Searchable records in the shape both back ends are fed: PostgreSQL by inserting rows, Typesense by documents. */
export type SearchableRecord =
  | {
      type: 'lead';
      id: string;
      firstName: string;
      lastName: string;
      email?: string | null;
      phone?: string | null;
      company?: string | null;
      title?: string | null;
      source?: string | null;
      ownerId: string | null;
    }
  | {
      type: 'contact';
      id: string;
      firstName: string;
      lastName: string;
      email?: string | null;
      phone?: string | null;
      title?: string | null;
      ownerId: string | null;
    }
  | {
      type: 'company';
      id: string;
      name: string;
      domain?: string | null;
      industry?: string | null;
      ownerId: string | null;
    }
  | { type: 'deal'; id: string; name: string; amount: string; currency: string; ownerId: string | null };

const words = (...parts: (string | null | undefined)[]) =>
  parts
    .filter((p): p is string => Boolean(p))
    .join(' ')
    .toLowerCase();
const joined = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' · ') || null;
const personTitle = (r: { firstName: string; lastName: string; email?: string | null; phone?: string | null }) =>
  `${r.firstName} ${r.lastName}`.trim() || r.email || r.phone || '';

/** The document a record becomes in Typesense; titles and subtitles read as PostgreSQL's search renders them. */
export function documentOf(organizationId: string, record: SearchableRecord): SearchDocument {
  const base = { type: record.type, id: record.id, organizationId, ownerId: record.ownerId };
  switch (record.type) {
    case 'lead':
      return {
        ...base,
        title: personTitle(record),
        subtitle: joined(record.company, record.email),
        text: words(
          record.firstName,
          record.lastName,
          record.email,
          record.phone,
          record.company,
          record.title,
          record.source,
        ),
      };
    case 'contact':
      return {
        ...base,
        title: personTitle(record),
        subtitle: joined(record.title, record.email),
        text: words(record.firstName, record.lastName, record.email, record.phone, record.title),
      };
    case 'company':
      return {
        ...base,
        title: record.name,
        subtitle: joined(record.domain, record.industry),
        text: words(record.name, record.domain, record.industry),
      };
    case 'deal':
      return { ...base, title: record.name, subtitle: `${record.amount} ${record.currency}`, text: words(record.name) };
  }
}
