/**
 * Workflow definition schemas (SPEC 2.1). The body describes a definition's shape (unknown fields at
 * any level are 400); its rules — id patterns, limits, fields a step type does not use, unknown
 * `depends_on`, cycles, CEL, JSON Schemas — are checked by the domain on save, whose errors name the
 * step and the field (`steps.build.depends_on`) as the schema's do.
 */
import { type TSchema, Type } from 'typebox';
import { DEFINITION_LIMITS as LIMITS, JOIN_POLICIES, STEP_TYPES } from '../../domain/workflow/definition.ts';
import { CursorQuery, IsoTime, MinPositionQuery, PositionTokenSchema, TenantQuery } from './common.ts';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const nullableText = nullable(Type.String());

export const WorkflowIdSchema = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description: 'A workflow id (`^[A-Za-z0-9_-]{1,64}$`), unique per org',
});

const StepIdText = '`^[a-z0-9][a-z0-9_-]{0,47}$`';

const StepTypeSchema = Type.Union(
  [
    Type.Literal('job'),
    Type.Literal('condition'),
    Type.Literal('approval'),
    Type.Literal('delay'),
    Type.Literal('notify'),
  ],
  { description: `Default \`job\` (one of ${STEP_TYPES.join(', ')})` },
);
const JoinSchema = Type.Union([Type.Literal('all'), Type.Literal('any'), Type.Literal('ignore_failures')], {
  description: `How a \`for_each\` step’s children settle it: ${JOIN_POLICIES.join(', ')} (default \`all\`)`,
});
const expression = (description: string) => Type.Optional(nullable(Type.String({ description })));
const stringMap = (description: string) =>
  Type.Optional(nullable(Type.Record(Type.String(), Type.String(), { description })));

const StepRetryBody = Type.Object(
  {
    max_retries: Type.Optional(Type.Integer({ minimum: 0, maximum: LIMITS.max_retries })),
    initial_backoff_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    max_backoff_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    multiplier: Type.Optional(Type.Number({ minimum: 1, maximum: LIMITS.max_multiplier })),
  },
  { additionalProperties: false, description: 'Each retry is a new step job' },
);

export const StepBody = Type.Object(
  {
    type: Type.Optional(StepTypeSchema),
    topic: Type.Optional(nullable(Type.String({ description: 'Job and notify steps (default `job.default`)' }))),
    depends_on: Type.Optional(
      nullable(Type.Array(Type.String(), { maxItems: LIMITS.max_depends_on, description: 'Step ids' })),
    ),
    condition: expression('CEL, `bool`: false skips the step (SKIPPED satisfies its dependants)'),
    for_each: expression('CEL giving a list: one child per item'),
    max_parallel: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.max_parallel })),
    join: Type.Optional(JoinSchema),
    input: Type.Optional(Type.Unknown({ description: 'JSON with `${expr}` templates: the step job’s payload' })),
    output_path: Type.Optional(nullable(Type.String({ description: 'Where the output goes in the run’s output' }))),
    retry: Type.Optional(nullable(StepRetryBody)),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 1, description: 'Each attempt’s limit (default from config)' })),
    delay_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    delay_until: expression('CEL giving a timestamp or epoch milliseconds'),
    labels: stringMap('Labels of the step job'),
    route_labels: stringMap('Placement labels (region, zone, gpu, placement.*, preferred_pool, preferred_worker_id)'),
    requires: Type.Optional(nullable(Type.Array(Type.String(), { maxItems: LIMITS.max_requires }))),
    meta: Type.Optional(nullable(Type.Record(Type.String(), Type.Unknown()))),
  },
  {
    additionalProperties: false,
    description:
      'A step. Fields a step type does not use are 400 (e.g. `topic` on an approval step); the domain checks the rest.',
  },
);

export const WorkflowBody = Type.Object(
  {
    id: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,64}$',
        description:
          'POST: optional, generated (a ULID) when absent; an id already used is 409. PUT: the id in the path, if given',
      }),
    ),
    name: Type.Optional(nullable(Type.String({ maxLength: LIMITS.max_name_length }))),
    description: Type.Optional(nullable(Type.String({ maxLength: LIMITS.max_description_length }))),
    org_id: Type.Optional(nullable(Type.String({ description: 'Your org, if given' }))),
    team_id: Type.Optional(nullable(Type.String())),
    input_schema: Type.Optional(
      Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Boolean(), Type.Null()], {
        description: 'A JSON Schema every run’s input must satisfy (400 naming the field otherwise)',
      }),
    ),
    timeout_ms: Type.Optional(
      nullable(Type.Integer({ minimum: 1, maximum: LIMITS.max_run_timeout_ms, description: 'The whole run' })),
    ),
    steps: Type.Record(Type.String(), StepBody, {
      description: `Step id (${StepIdText}) → step; at most ${LIMITS.max_steps}`,
    }),
  },
  { additionalProperties: false, description: 'A workflow definition (SPEC 2.1); unknown fields are 400' },
);

export const WorkflowParams = Type.Object({ id: WorkflowIdSchema }, { additionalProperties: false });

export const WorkflowQuery = Type.Object(
  {
    tenant: Type.Optional(TenantQuery),
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'A given version (runs are pinned to one); default the latest' }),
    ),
  },
  { additionalProperties: false },
);

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      maxLength: 256,
      description: '`"<version>"`: only if the workflow is at this version (else 412); `*`: any version',
    }),
  ),
});

const StepView = Type.Object({
  type: StepTypeSchema,
  topic: nullableText,
  depends_on: Type.Array(Type.String()),
  condition: nullableText,
  for_each: nullableText,
  max_parallel: nullable(Type.Integer()),
  join: JoinSchema,
  input: Type.Unknown(),
  output_path: nullableText,
  retry: Type.Object({
    max_retries: Type.Integer(),
    initial_backoff_ms: Type.Integer(),
    max_backoff_ms: Type.Integer(),
    multiplier: Type.Number(),
  }),
  timeout_ms: nullable(Type.Integer()),
  delay_ms: nullable(Type.Integer()),
  delay_until: nullableText,
  labels: Type.Record(Type.String(), Type.String()),
  route_labels: Type.Record(Type.String(), Type.String()),
  requires: Type.Array(Type.String()),
  meta: Type.Record(Type.String(), Type.Unknown()),
});

export const WorkflowDefinitionView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: nullableText,
    org_id: Type.String(),
    team_id: nullableText,
    input_schema: Type.Unknown({ description: 'A JSON Schema, or null' }),
    timeout_ms: nullable(Type.Integer()),
    steps: Type.Record(Type.String(), StepView),
  },
  { description: 'The definition as saved, every default filled in' },
);

export const WorkflowVersionView = Type.Object(
  {
    workflow_id: Type.String(),
    version: Type.Integer({ minimum: 1, description: 'Also the ETag: `"<version>"`' }),
    definition: WorkflowDefinitionView,
    deleted: Type.Boolean({ description: 'Whether the workflow is deleted now (its versions stay readable)' }),
    defined_at: IsoTime,
    defined_by: Type.String({ description: 'Who saved this version: `api:<key id>`' }),
    position: PositionTokenSchema,
  },
  { description: 'One version of a workflow, from the event store' },
);

export const WorkflowAnswer = Type.Object(
  {
    workflow_id: Type.String(),
    version: Type.Integer({ minimum: 1, description: 'The version saved (also the ETag)' }),
    changed: Type.Boolean(),
    position: PositionTokenSchema,
  },
  { description: 'The workflow after the command' },
);

export const WorkflowListQuery = Type.Object(
  {
    tenant: Type.Optional(TenantQuery),
    include_deleted: Type.Optional(Type.Boolean({ default: false, description: 'Also list deleted workflows' })),
    from: Type.Optional(Type.String({ maxLength: 40, description: 'Earliest created_at, inclusive (ms or ISO)' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'Latest created_at, inclusive (ms or ISO)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(CursorQuery),
    min_position: Type.Optional(MinPositionQuery),
  },
  { additionalProperties: false },
);

export const WorkflowSummary = Type.Object({
  workflow_id: Type.String(),
  tenant: Type.String(),
  name: Type.String(),
  description: nullableText,
  team_id: nullableText,
  version: Type.Integer({ description: 'The latest version (for a deleted workflow, the one its delete ended)' }),
  deleted: Type.Boolean(),
  steps: Type.Integer({ description: 'How many steps the latest version has' }),
  created_at: IsoTime,
  updated_at: IsoTime,
  updated_by: Type.String(),
});
