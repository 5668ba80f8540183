/**
 * Lead-scoring rules as data: each rule tests one field of a lead and adds its points (negative ones too) with a
 * reason when it holds; a `stop` rule that holds ends the evaluation with its points alone. The total is clamped to
 * 0–100. The defaults reproduce the scoring every organization had before rules were editable.
 */
export type ScoredFields = {
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  title?: string | null;
  source?: string | null;
  status?: string | null;
  country?: string | null;
  region?: string | null;
  industry?: string | null;
};

export const scoringFields = [
  'email',
  'emailDomain',
  'phone',
  'company',
  'title',
  'source',
  'status',
  'country',
  'region',
  'industry',
] as const;
export type ScoringField = (typeof scoringFields)[number];

/**
 * present/absent: the field has a value or not. equals/notEquals/in/notIn compare case-insensitively with one
 * value or a list. containsWord/notContainsWord look for any of a list of whole words or phrases (no regular
 * expressions: rules come from users and must not be able to stall the server). Every operator but `absent` fails
 * on a field without a value.
 */
export const scoringOperators = [
  'present',
  'absent',
  'equals',
  'notEquals',
  'in',
  'notIn',
  'containsWord',
  'notContainsWord',
] as const;
export type ScoringOperator = (typeof scoringOperators)[number];

export type ScoringRule = {
  field: ScoringField;
  operator: ScoringOperator;
  value?: string | string[] | null;
  points: number;
  /** Shown to reps; `{value}` is replaced by the field's value. */
  reason: string;
  stop?: boolean;
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

const seniorTitles = [
  'ceo',
  'cto',
  'cfo',
  'coo',
  'cmo',
  'cio',
  'chief',
  'founder',
  'co-founder',
  'owner',
  'president',
  'vp',
  'vice president',
  'director',
  'head',
];

const source = (value: string, points: number): ScoringRule => ({
  field: 'source',
  operator: 'equals',
  value,
  points,
  reason: 'Source: {value}',
});

export const defaultScoringRules: readonly ScoringRule[] = [
  { field: 'status', operator: 'equals', value: 'unqualified', points: 0, reason: 'Marked unqualified', stop: true },
  { field: 'email', operator: 'present', points: 10, reason: 'Has an email address' },
  {
    field: 'emailDomain',
    operator: 'notIn',
    value: [...freeMailDomains],
    points: 15,
    reason: 'Work email domain ({value})',
  },
  { field: 'phone', operator: 'present', points: 10, reason: 'Has a phone number' },
  { field: 'company', operator: 'present', points: 10, reason: 'Company known' },
  {
    field: 'title',
    operator: 'containsWord',
    value: seniorTitles,
    points: 20,
    reason: 'Decision-maker title ({value})',
  },
  { field: 'title', operator: 'notContainsWord', value: seniorTitles, points: 5, reason: 'Job title known' },
  source('referral', 20),
  source('partner', 15),
  source('event', 10),
  source('web_form', 10),
  source('website', 10),
  source('webinar', 10),
  source('inbound_call', 15),
  source('purchased_list', -10),
  { field: 'status', operator: 'equals', value: 'contacted', points: 5, reason: 'Status: {value}' },
  { field: 'status', operator: 'equals', value: 'qualified', points: 15, reason: 'Status: {value}' },
];

/** The value a rule tests: sources and domains lower-cased, a missing status is `new`, empty text is no value. */
export function fieldValue(lead: ScoredFields, field: ScoringField): string | null {
  const text = (v: string | null | undefined) => (v === undefined || v === null || v === '' ? null : v);
  switch (field) {
    case 'emailDomain': {
      const domain = lead.email?.split('@')[1]?.toLowerCase();
      return text(domain);
    }
    case 'source':
      return text(lead.source?.toLowerCase());
    case 'status':
      return text(lead.status) ?? 'new';
    default:
      return text(lead[field]);
  }
}

const listOf = (value: ScoringRule['value']): string[] =>
  (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map((v) => v.toLowerCase());

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole words or phrases, compiled once per rule list: the words are escaped, so the pattern is linear. */
const wordPatterns = new WeakMap<ScoringRule, RegExp>();
function wordPattern(rule: ScoringRule): RegExp {
  let pattern = wordPatterns.get(rule);
  if (!pattern) {
    const words = listOf(rule.value).map(escapeRegExp);
    pattern = words.length === 0 ? /(?!)/ : new RegExp(`\\b(?:${words.join('|')})\\b`, 'i');
    wordPatterns.set(rule, pattern);
  }
  return pattern;
}

export function ruleHolds(rule: ScoringRule, value: string | null): boolean {
  if (rule.operator === 'absent') return value === null;
  if (value === null) return false;
  const lower = value.toLowerCase();
  switch (rule.operator) {
    case 'present':
      return true;
    case 'equals':
    case 'in':
      return listOf(rule.value).includes(lower);
    case 'notEquals':
    case 'notIn':
      return !listOf(rule.value).includes(lower);
    case 'containsWord':
      return wordPattern(rule).test(value);
    case 'notContainsWord':
      return !wordPattern(rule).test(value);
  }
}

export function evaluateRules(
  lead: ScoredFields,
  rules: readonly ScoringRule[],
): { score: number; reasons: { points: number; reason: string }[] } {
  const reasons: { points: number; reason: string }[] = [];
  for (const rule of rules) {
    const value = fieldValue(lead, rule.field);
    if (!ruleHolds(rule, value)) continue;
    // A zero-point rule only explains when it ends the scoring (as "Marked unqualified" does).
    const reason = { points: rule.points, reason: rule.reason.replaceAll('{value}', value ?? '') };
    if (rule.stop) return { score: Math.max(0, Math.min(100, rule.points)), reasons: [reason] };
    if (rule.points !== 0) reasons.push(reason);
  }
  const total = reasons.reduce((sum, r) => sum + r.points, 0);
  return { score: Math.max(0, Math.min(100, total)), reasons };
}
