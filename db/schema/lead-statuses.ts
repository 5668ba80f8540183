/** Kept free of imports so the edge bundle can validate statuses without pulling in the ORM. */
export const leadStatuses = ['new', 'contacted', 'qualified', 'unqualified', 'converted'] as const;
export type LeadStatus = (typeof leadStatuses)[number];
