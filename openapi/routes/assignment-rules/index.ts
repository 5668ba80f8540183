import { home, type PublicOperation } from '../../operation.ts';
import { getAvailabilityRoute, setAvailabilityRoute } from './availability.ts';
import { createAssignmentRuleRoute } from './create.ts';
import { deleteAssignmentRuleRoute } from './delete.ts';
import { getAssignmentRuleRoute } from './get.ts';
import { getLeadAssignmentRoute } from './lead-assignment.ts';
import { listAssignmentRulesRoute } from './list.ts';
import { reorderAssignmentRulesRoute } from './reorder.ts';
import { updateAssignmentRuleRoute } from './update.ts';

/** Lead dispatch: the rules, reps' availability, and the explanation of each assignment. */
export const assignmentRuleOperations: PublicOperation[] = [
  { route: listAssignmentRulesRoute, target: home, cacheable: true },
  { route: createAssignmentRuleRoute, target: home },
  { route: reorderAssignmentRulesRoute, target: home },
  { route: getAssignmentRuleRoute, target: home, cacheable: true },
  { route: updateAssignmentRuleRoute, target: home },
  { route: deleteAssignmentRuleRoute, target: home },
  { route: getAvailabilityRoute, target: home },
  { route: setAvailabilityRoute, target: home },
  { route: getLeadAssignmentRoute, target: home },
];
