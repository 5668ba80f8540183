import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** The CSV's columns, named as a CRM export would name them, so the import's suggested mapping takes them all. */
export const LEAD_CSV_HEADER = ['First Name', 'Last Name', 'Email', 'Phone', 'Company', 'Title', 'Source', 'Status'];

export type LeadFields = {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  company: string;
  title: string;
  source: string;
  status: string;
};

const firstNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Frances', 'Dennis'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Allen'];
const titles = ['Director of Sales', 'CTO', 'Engineer', 'Head of Marketing', 'Buyer', 'VP Operations', 'Analyst'];
const sources = ['web_form', 'referral', 'event', 'partner', 'cold_call', 'advertising', 'import'];
const statuses = ['new', 'contacted', 'qualified', 'unqualified'];

/** Lead number `i`: the same fields every time, distinct emails, a few companies whose names need CSV quoting. */
export function leadFields(i: number): LeadFields {
  const first = firstNames[i % firstNames.length]!;
  const last = lastNames[(i >> 3) % lastNames.length]!;
  const companyNo = i % 5000;
  return {
    firstName: first,
    lastName: `${last}-${i}`,
    email: `${first}.${last}.${i}@company${companyNo}.example`.toLowerCase(),
    phone: `+1 555 ${String(i % 10_000_000).padStart(7, '0')}`,
    company: companyNo % 10 === 0 ? `Company ${companyNo}, Inc.` : `Company ${companyNo}`,
    title: titles[i % titles.length]!,
    source: sources[i % sources.length]!,
    status: statuses[i % statuses.length]!,
  };
}

const cell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export const leadCsvLine = (f: LeadFields): string =>
  [f.firstName, f.lastName, f.email, f.phone, f.company, f.title, f.source, f.status].map(cell).join(',');

/** Writes a CSV of `rows` leads to `path` a thousand lines at a time, never holding the file: returns its size. */
export async function writeLeadsCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${LEAD_CSV_HEADER.join(',')}\r\n`);
  for (let start = 1; start <= rows; start += 1000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(start + 1000, rows + 1); i++) lines.push(leadCsvLine(leadFields(i)));
    await write(`${lines.join('\r\n')}\r\n`);
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
