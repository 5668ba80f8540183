/** A lead's score, 0–100, and the reasons that add up to it, so a rep can see why a lead ranks where it does. */
export type ScoreReason = { points: number; reason: string };
export type ScoredFields = {
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  title?: string | null;
  source?: string | null;
  status?: string | null;
};

/** Webmail providers: their domain says nothing about the company a lead works for (conversion reuses it). */
export const freeMailDomains: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'mail.ru',
  'yandex.ru',
  'qq.com',
  '163.com',
]);

const seniorTitle =
  /\b(ceo|cto|cfo|coo|cmo|cio|chief|founder|co-founder|owner|president|vp|vice president|director|head)\b/i;

const sourcePoints: Record<string, number> = {
  referral: 20,
  partner: 15,
  event: 10,
  web_form: 10,
  website: 10,
  webinar: 10,
  inbound_call: 15,
  cold_outreach: 0,
  purchased_list: -10,
};

const statusPoints: Record<string, number> = { contacted: 5, qualified: 15 };

export function scoreLead(lead: ScoredFields): { score: number; reasons: ScoreReason[] } {
  if (lead.status === 'unqualified') return { score: 0, reasons: [{ points: 0, reason: 'Marked unqualified' }] };
  const reasons: ScoreReason[] = [];
  const add = (points: number, reason: string) => reasons.push({ points, reason });

  if (lead.email) {
    add(10, 'Has an email address');
    const domain = lead.email.split('@')[1]?.toLowerCase() ?? '';
    if (domain && !freeMailDomains.has(domain)) add(15, `Work email domain (${domain})`);
  }
  if (lead.phone) add(10, 'Has a phone number');
  if (lead.company) add(10, 'Company known');
  if (lead.title) {
    if (seniorTitle.test(lead.title)) add(20, `Decision-maker title (${lead.title})`);
    else add(5, 'Job title known');
  }
  const source = lead.source?.toLowerCase();
  if (source && sourcePoints[source] !== undefined && sourcePoints[source] !== 0) {
    add(sourcePoints[source], `Source: ${source}`);
  }
  const status = lead.status ?? 'new';
  if (statusPoints[status]) add(statusPoints[status], `Status: ${status}`);

  const total = reasons.reduce((sum, r) => sum + r.points, 0);
  return { score: Math.max(0, Math.min(100, total)), reasons };
}
