import type { assignmentRuleMembers, assignmentRules } from '../../db/schema/index.ts';

type RuleRow = typeof assignmentRules.$inferSelect;
type MemberRow = typeof assignmentRuleMembers.$inferSelect;

/** A rule as the API shows it, with its members in rotation order. */
export const assignmentRuleView = (rule: RuleRow, members: readonly MemberRow[]) => ({
  id: rule.id,
  name: rule.name,
  position: rule.position,
  active: rule.active,
  strategy: rule.strategy,
  conditions: rule.conditions,
  members: [...members]
    .sort((a, b) => a.position - b.position)
    .map((m) => ({ userId: m.userId, weight: m.weight, territory: m.territory })),
  version: rule.version,
  createdAt: rule.createdAt.toISOString(),
  updatedAt: rule.updatedAt.toISOString(),
});

export type AssignmentRuleView = ReturnType<typeof assignmentRuleView>;
