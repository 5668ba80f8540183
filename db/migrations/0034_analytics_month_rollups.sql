-- Every roll-up now keeps UTC month rows (only the open-deal one did), and reports read them. Roll-ups built before
-- have none (nor, for organizations backfilled before 0031, open-deal rows at all): forgetting every organization's
-- analytics state sends its reports to the base tables until its next lead, contact, deal or activity event starts a
-- fresh backfill (regions/analytics/rollup/backfill.ts). TRUNCATE, which row-level security does not filter.
TRUNCATE "analytics_state";
