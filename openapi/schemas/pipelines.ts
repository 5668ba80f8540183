import { z } from '@hono/zod-openapi';
import { stageKinds } from '../../db/schema/crm-enums.ts';
import { Timestamp } from './common.ts';
import { storableText } from './text.ts';

/** Most an organization may have, so a pipeline list and a pipeline's stages stay one small answer. */
export const maxPipelines = 50;
export const maxStages = 50;

export const StageKindSchema = z
  .enum(stageKinds)
  .openapi('StageKind', { description: 'open: still being worked; won/lost: a deal moved here is closed' });

const StageName = storableText(100).min(1).openapi({ example: 'Proposal' });
const PipelineName = storableText(100).min(1).openapi({ example: 'Enterprise' });
const Probability = z
  .number()
  .int()
  .min(0)
  .max(100)
  .openapi({ description: 'Win probability in percent (weights pipeline value)', example: 50 });
const Position = z
  .number()
  .int()
  .min(0)
  .max(maxStages)
  .openapi({ description: 'Zero-based place among the stages; past the end means last', example: 2 });

export const StageInput = z
  .strictObject({
    name: StageName,
    probability: Probability.optional().openapi({ description: 'Defaults to 100 for won stages, else 0' }),
    kind: StageKindSchema.optional().openapi({ description: 'Defaults to open' }),
  })
  .openapi('StageInput');

/** Stage names are compared as a person reads them: case and surrounding space do not make two names differ. */
export const stageNameKey = (name: string) => name.trim().toLowerCase();

export const PipelineInput = z
  .strictObject({
    name: PipelineName,
    isDefault: z
      .boolean()
      .optional()
      .openapi({ description: 'Make this the default pipeline (the previous default stops being it)' }),
    stages: z.array(StageInput).min(1).max(maxStages).openapi({ description: 'The stages, in order' }),
  })
  .superRefine((value, issue) => {
    if (!value.stages.some((s) => (s.kind ?? 'open') === 'open')) {
      issue.addIssue({ code: 'custom', path: ['stages'], message: 'A pipeline needs at least one open stage' });
    }
    const seen = new Set<string>();
    value.stages.forEach((stage, i) => {
      const key = stageNameKey(stage.name);
      if (seen.has(key)) issue.addIssue({ code: 'custom', path: ['stages', i, 'name'], message: 'Duplicate name' });
      seen.add(key);
    });
  })
  .openapi('PipelineInput');

export const PipelinePatch = z
  .strictObject({
    name: PipelineName.optional(),
    isDefault: z.boolean().optional().openapi({
      description:
        'true makes this the default (the previous default stops being it). There is always one default: to change it, set true on another pipeline',
    }),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('PipelinePatch');

export const StageCreate = z
  .strictObject({
    name: StageName,
    probability: Probability.optional().openapi({ description: 'Defaults to 100 for won stages, else 0' }),
    kind: StageKindSchema.optional().openapi({ description: 'Defaults to open' }),
    position: Position.optional().openapi({ description: 'Where to insert it (zero-based); default last' }),
  })
  .openapi('StageCreate');

export const StagePatch = z
  .strictObject({
    name: StageName.optional(),
    probability: Probability.optional(),
    kind: StageKindSchema.optional(),
    position: Position.optional().openapi({ description: 'Move it here (zero-based); the others close up' }),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('StagePatch');

export const StageSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    position: z.number().int().min(0),
    probability: Probability,
    kind: StageKindSchema,
  })
  .openapi('Stage');

export const PipelineSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    isDefault: z.boolean(),
    position: z.number().int().min(0),
    stages: z.array(StageSchema).openapi({ description: 'In order; positions are 0, 1, 2, …' }),
    version: z.number().int().openapi({ description: 'Goes up on every change, stages included' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Pipeline');

export const PipelineList = z
  .object({ data: z.array(PipelineSchema).max(maxPipelines) })
  .openapi('PipelineList', { description: `Every pipeline of the organization (at most ${maxPipelines}), in order` });

export const StageParams = z.object({
  id: z.uuid().openapi({
    param: { name: 'id', in: 'path', description: 'The pipeline id (a UUID)' },
    example: '0193a5f7-6f70-7b8c-9d0e-1f2a3b4c5d6e',
  }),
  stageId: z.uuid().openapi({
    param: { name: 'stageId', in: 'path', description: 'The stage id (a UUID)' },
    example: '0193a5f7-6f71-7c8d-8e0f-2a3b4c5d6e7f',
  }),
});

// Examples, typed by the schemas they illustrate so a contract change that makes one stale fails the type check.

const pipelineId = '0193a5f7-6f70-7b8c-9d0e-1f2a3b4c5d6e';
const stageIds = [
  '0193a5f7-6f71-7c8d-8e0f-2a3b4c5d6e7f',
  '0193a5f7-6f72-7d8e-9f0a-3b4c5d6e7f8a',
  '0193a5f7-6f73-7e8f-a0b1-4c5d6e7f8a9b',
  '0193a5f7-6f74-7f80-b1c2-5d6e7f8a9b0c',
  '0193a5f7-6f75-7091-82d3-6e7f8a9b0c1d',
] as const;

export const pipelineInputExample: z.input<typeof PipelineInput> = {
  name: 'Enterprise',
  stages: [
    { name: 'Discovery', probability: 10 },
    { name: 'Proposal', probability: 50 },
    { name: 'Negotiation', probability: 80 },
    { name: 'Won', kind: 'won' },
    { name: 'Lost', kind: 'lost' },
  ],
};

export const pipelineExample: z.output<typeof PipelineSchema> = {
  id: pipelineId,
  name: 'Enterprise',
  isDefault: false,
  position: 1,
  stages: [
    { id: stageIds[0], name: 'Discovery', position: 0, probability: 10, kind: 'open' },
    { id: stageIds[1], name: 'Proposal', position: 1, probability: 50, kind: 'open' },
    { id: stageIds[2], name: 'Negotiation', position: 2, probability: 80, kind: 'open' },
    { id: stageIds[3], name: 'Won', position: 3, probability: 100, kind: 'won' },
    { id: stageIds[4], name: 'Lost', position: 4, probability: 0, kind: 'lost' },
  ],
  version: 1,
  createdAt: '2026-11-27T11:00:00.000Z',
  updatedAt: '2026-11-27T11:00:00.000Z',
};

export const pipelinePatchExample: z.input<typeof PipelinePatch> = { name: 'Enterprise deals', isDefault: true };

export const updatedPipelineExample: z.output<typeof PipelineSchema> = {
  ...pipelineExample,
  name: 'Enterprise deals',
  isDefault: true,
  version: 2,
  updatedAt: '2026-11-28T09:00:00.000Z',
};

export const pipelineListExample: z.output<typeof PipelineList> = { data: [pipelineExample] };

export const stageCreateExample: z.input<typeof StageCreate> = { name: 'Legal review', probability: 90, position: 3 };

const [discovery, proposal, negotiation, won, lost] = pipelineExample.stages as [
  z.output<typeof StageSchema>,
  ...z.output<typeof StageSchema>[],
];

export const pipelineWithStageExample: z.output<typeof PipelineSchema> = {
  ...pipelineExample,
  stages: [
    discovery,
    proposal!,
    negotiation!,
    { id: '0193a5f7-6f76-71a2-93e4-7f8a9b0c1d2e', name: 'Legal review', position: 3, probability: 90, kind: 'open' },
    { ...won!, position: 4 },
    { ...lost!, position: 5 },
  ],
  version: 2,
  updatedAt: '2026-11-28T09:00:00.000Z',
};

export const stagePatchExample: z.input<typeof StagePatch> = { name: 'Pricing', probability: 60, position: 0 };

export const pipelineWithMovedStageExample: z.output<typeof PipelineSchema> = {
  ...pipelineExample,
  stages: [
    { ...proposal!, name: 'Pricing', probability: 60, position: 0 },
    { ...discovery, position: 1 },
    negotiation!,
    won!,
    lost!,
  ],
  version: 2,
  updatedAt: '2026-11-28T09:00:00.000Z',
};

export const pipelineWithoutStageExample: z.output<typeof PipelineSchema> = {
  ...pipelineExample,
  stages: [discovery, proposal!, { ...won!, position: 2 }, { ...lost!, position: 3 }],
  version: 2,
  updatedAt: '2026-11-28T09:00:00.000Z',
};
