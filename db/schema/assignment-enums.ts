/** Lead dispatch enumerations, free of imports so the edge's contract can use them too. */

/**
 * How a rule picks among its eligible reps: `round_robin` takes the next rep after the last one it chose;
 * `weighted` takes the rep with the fewest open leads for their weight (their share of the rule's capacity).
 */
export const assignmentStrategies = ['round_robin', 'weighted'] as const;
export type AssignmentStrategy = (typeof assignmentStrategies)[number];

/**
 * Which leads a rule (or one rep of a rule) takes: every list given must contain the lead's value (countries as
 * ISO 3166-1 alpha-2 codes, the rest compared without case); an empty or missing list places no condition.
 */
export type AssignmentConditions = {
  countries?: string[];
  regions?: string[];
  industries?: string[];
  sources?: string[];
};
