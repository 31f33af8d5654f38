import { z } from 'zod';

// A workspace's tracking plan: the events it means to send, each property's type, which are
// required and which values an enum allows. Stored and edited in this shape; imported from and
// exported to JSON Schema (one schema per event under `$defs`, keyed by the event's name), which
// is also what ingestion validates against. Only the keywords below are accepted, so a plan can
// never ask ingestion for unbounded work (no patterns, no references, no nesting).

export const PLAN_PROPERTY_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array'] as const;
export type PlanPropertyType = (typeof PLAN_PROPERTY_TYPES)[number];

/** What ingestion does with an event that breaks the plan. */
export const PLAN_MODES = ['flag', 'drop', 'reject'] as const;
export type PlanMode = (typeof PLAN_MODES)[number];

export const PLAN_LIMITS = { events: 500, properties: 100, enumValues: 100, nameLength: 200 } as const;

const Name = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} needs a name`)
    .max(PLAN_LIMITS.nameLength, `${what} names are at most ${PLAN_LIMITS.nameLength} characters`);

const EnumValues = z
  .array(z.union([z.string().max(PLAN_LIMITS.nameLength), z.number()]), {
    error: 'Allowed values are a list of strings or numbers',
  })
  .min(1, 'An enum lists at least one allowed value')
  .max(PLAN_LIMITS.enumValues, `An enum lists at most ${PLAN_LIMITS.enumValues} values`);

const Type = z.enum(PLAN_PROPERTY_TYPES, {
  error: `The type is one of ${PLAN_PROPERTY_TYPES.join(', ')}`,
});

export const PlanProperty = z
  .strictObject({
    name: Name('A property'),
    type: Type,
    required: z.boolean().default(false),
    enum: EnumValues.optional(),
    description: z.string().max(500).optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.enum) return;
    const fits = (v: string | number) =>
      p.type === 'string'
        ? typeof v === 'string'
        : p.type === 'number' || p.type === 'integer'
          ? typeof v === 'number'
          : false;
    if (!p.enum.every(fits))
      ctx.addIssue({
        code: 'custom',
        path: ['enum'],
        message: `Allowed values of “${p.name}” must all be of type ${p.type}`,
      });
  });
export type PlanProperty = z.infer<typeof PlanProperty>;

export const PlanEvent = z
  .strictObject({
    name: Name('An event'),
    description: z.string().max(500).optional(),
    properties: z
      .array(PlanProperty)
      .max(PLAN_LIMITS.properties, `An event declares at most ${PLAN_LIMITS.properties} properties`)
      .default([]),
    /** Properties the plan does not name are let through (false: they are violations too). */
    allowOtherProperties: z.boolean().default(true),
  })
  .superRefine((e, ctx) => {
    const seen = new Set<string>();
    e.properties.forEach((p, i) => {
      if (seen.has(p.name))
        ctx.addIssue({ code: 'custom', path: ['properties', i, 'name'], message: `“${p.name}” is declared twice` });
      seen.add(p.name);
    });
  });
export type PlanEvent = z.infer<typeof PlanEvent>;

export const TrackingPlan = z
  .strictObject({
    mode: z.enum(PLAN_MODES, { error: `The mode is one of ${PLAN_MODES.join(', ')}` }).default('flag'),
    events: z.array(PlanEvent).max(PLAN_LIMITS.events, `A plan declares at most ${PLAN_LIMITS.events} events`),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.events.forEach((e, i) => {
      if (seen.has(e.name))
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'name'],
          message: `The event “${e.name}” is declared twice`,
        });
      seen.add(e.name);
    });
  });
export type TrackingPlan = z.infer<typeof TrackingPlan>;

export const EMPTY_TRACKING_PLAN: TrackingPlan = { mode: 'flag', events: [] };

// ---- JSON Schema ----------------------------------------------------------------------------

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export interface PropertySchema {
  type: PlanPropertyType;
  enum?: (string | number)[];
  description?: string;
}
export interface EventSchema {
  type: 'object';
  description?: string;
  properties: Record<string, PropertySchema>;
  required?: string[];
  additionalProperties: boolean;
}
export interface TrackingPlanSchema {
  $schema: string;
  title?: string;
  description?: string;
  $defs: Record<string, EventSchema>;
}

/** One event's JSON Schema (what ingestion validates an event's properties against). */
export function eventJsonSchema(event: PlanEvent): EventSchema {
  const required = event.properties.filter((p) => p.required).map((p) => p.name);
  return {
    type: 'object',
    ...(event.description ? { description: event.description } : {}),
    properties: Object.fromEntries(
      event.properties.map((p) => [
        p.name,
        {
          type: p.type,
          ...(p.enum ? { enum: p.enum } : {}),
          ...(p.description ? { description: p.description } : {}),
        },
      ]),
    ),
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: event.allowOtherProperties,
  };
}

export function toJsonSchema(plan: TrackingPlan): TrackingPlanSchema {
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'Tracking plan',
    description: 'One schema per event name (under $defs) for the event’s properties.',
    $defs: Object.fromEntries(plan.events.map((e) => [e.name, eventJsonSchema(e)])),
  };
}

const ImportedProperty = z.strictObject(
  { type: Type, enum: EnumValues.optional(), description: z.string().max(500).optional() },
  {
    error: (i) =>
      i.code === 'unrecognized_keys'
        ? `Only type, enum and description are supported here (not ${i.keys.join(', ')})`
        : 'A property is described by an object with a type',
  },
);

const ImportedEvent = z.strictObject(
  {
    type: z.literal('object', { error: 'An event’s schema has type “object”' }).optional(),
    description: z.string().max(500).optional(),
    properties: z.record(z.string(), ImportedProperty).optional(),
    required: z.array(z.string(), { error: '“required” is a list of property names' }).optional(),
    additionalProperties: z.boolean({ error: '“additionalProperties” is true or false' }).optional(),
  },
  {
    error: (i) =>
      i.code === 'unrecognized_keys'
        ? `Only type, description, properties, required and additionalProperties are supported here (not ${i.keys.join(', ')})`
        : 'An event is described by an object schema',
  },
);

export const ImportedPlanSchema = z.object(
  {
    $schema: z.string().optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    $defs: z.record(z.string(), ImportedEvent, { error: '“$defs” maps each event name to its schema' }),
  },
  { error: 'A tracking plan is a JSON Schema object with one schema per event under “$defs”' },
);

export type ImportResult =
  | { ok: true; events: PlanEvent[] }
  | { ok: false; issues: { path: string; message: string }[] };

/** A JSON Schema (as exported) back to the plan's events, with a reason for each part it cannot take. */
export function fromJsonSchema(input: unknown): ImportResult {
  const parsed = ImportedPlanSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  const issues: { path: string; message: string }[] = [];
  const events = Object.entries(parsed.data.$defs).map(([name, schema]) => {
    const props = schema.properties ?? {};
    for (const r of schema.required ?? [])
      if (!(r in props))
        issues.push({
          path: `$defs.${name}.required`,
          message: `“${r}” is required but not described under properties`,
        });
    return {
      name,
      ...(schema.description ? { description: schema.description } : {}),
      allowOtherProperties: schema.additionalProperties ?? true,
      properties: Object.entries(props).map(([pname, p]) => ({
        name: pname,
        type: p.type,
        required: (schema.required ?? []).includes(pname),
        ...(p.enum ? { enum: p.enum } : {}),
        ...(p.description ? { description: p.description } : {}),
      })),
    };
  });
  if (issues.length > 0) return { ok: false, issues };
  const checked = z
    .array(PlanEvent)
    .max(PLAN_LIMITS.events, `A plan declares at most ${PLAN_LIMITS.events} events`)
    .safeParse(events);
  if (!checked.success)
    return {
      ok: false,
      issues: checked.error.issues.map((i) => ({
        path: `$defs.${typeof i.path[0] === 'number' ? (events[i.path[0]]?.name ?? '') : ''}${i.path.length > 1 ? `.${i.path.slice(1).join('.')}` : ''}`,
        message: i.message,
      })),
    };
  return { ok: true, events: checked.data };
}
