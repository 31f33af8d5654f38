import { z } from 'zod';
import type { ErrorPath } from './errors.ts';
import { type Field, type FieldMeta, f } from './fields.ts';
import { defaultStep } from './runtime/default-steps.ts';
import type { NodeRuntime, StepFn } from './runtime/types.ts';

export const NODE_KINDS = ['trigger', 'condition', 'wait', 'action', 'control'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export type FieldShape = Record<string, Field<unknown>>;
export type ConfigOf<F extends FieldShape> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

export type ListenRole = 'trigger' | 'wait' | 'count';

/** Which events a node needs to see; the compiler turns these into the plan's event index. */
export interface EventInterest {
  event: string;
  as: ListenRole;
  /**
   * The JSON Logic field that decides whether an event applies (a trigger's filter, a counter's
   * filter, a wait's match); none means every event of that name does.
   */
  rule?: string;
}

/** How the editor upgrades a node of an older version of the type to this one. */
export interface NodeMigration {
  from: number;
  config: (previous: Record<string, unknown>) => Record<string, unknown>;
}

export interface ConfigIssue {
  path: ErrorPath;
  code: string;
  message: string;
}

export interface NodeTypeSpec<
  F extends FieldShape,
  O extends readonly [string, ...string[]],
  T extends string = string,
  K extends NodeKind = NodeKind,
> {
  type: T;
  version: number;
  kind: K;
  label: string;
  description: string;
  /** Icon name from the editor's icon set. */
  icon: string;
  /** Named outputs, in handle order. A node with one output can be linked without a sourceHandle. */
  outputs: O;
  config: F;
  /** Checks that span fields; single-field checks belong in the field helper. */
  validate?: (config: ConfigOf<F>) => ConfigIssue[];
  /** Events this node listens to (triggers, waits, counters). */
  events?: (config: ConfigOf<F>) => EventInterest[];
  /** Extra, JSON-serialisable data the engine needs in the plan, precomputed once. */
  compile?: (config: ConfigOf<F>) => Record<string, unknown>;
  /** What the platform must know to run it (state it touches, waits); nothing by default. */
  runtime?: NodeRuntime;
  /**
   * What the node decides for a run: the output to take, a wait to park at, an action to send.
   * Defaults by kind: triggers pass on, actions render their templates (honouring `onlyIf`), a
   * condition with one JSON Logic field evaluates it; waits and controls must declare one.
   */
  step?: StepFn<ConfigOf<F>, O[number]>;
  /** One line under the node's title on the canvas; while editing, the config may be incomplete. */
  summary?: (config: Partial<ConfigOf<F>>) => string;
  /** How to turn a node of an older version into this one (the editor offers "Upgrade"). */
  migrate?: NodeMigration;
}

export interface NodeType<
  F extends FieldShape = FieldShape,
  O extends readonly [string, ...string[]] = readonly [string, ...string[]],
  T extends string = string,
  K extends NodeKind = NodeKind,
> extends NodeTypeSpec<F, O, T, K> {
  /** `type@version`, the registry key. */
  key: string;
  configSchema: z.ZodType<ConfigOf<F>>;
  /** Form metadata in declaration order, for the editor. */
  fields: (FieldMeta & { key: string })[];
  /** Values a freshly dropped node starts with. */
  defaults: Partial<ConfigOf<F>>;
  runtime: Required<NodeRuntime>;
  step: StepFn<ConfigOf<F>, O[number]>;
  summary: (config: Partial<ConfigOf<F>>) => string;
  /** Config fields whose values are secret: redacted in traces, dead letters, logs and exports. */
  secrets: string[];
}

export const ACTION_PRIORITIES = ['high', 'normal', 'low'] as const;
export type ActionPriority = (typeof ACTION_PRIORITIES)[number];

/**
 * Settings every action has, whatever its type: the consent category it needs and its priority.
 * The platform (the walk, the job layer) honours them, so a new action type gets them for free.
 * Both are optional, so nodes saved before they existed keep their meaning (the tenant's default
 * category; normal priority).
 */
export const ACTION_FIELDS = {
  consent: f.consentCategory({
    label: 'Consent needed',
    help: 'The consent category the user must have granted (e.g. marketing); empty uses the workspace default, "none" needs none',
    placeholder: 'workspace default',
    optional: true,
  }),
  priority: f.enum(ACTION_PRIORITIES, {
    label: 'Priority',
    help: 'High-priority actions overtake a backlog of normal and low ones',
    optional: true,
  }),
} satisfies FieldShape;

/** What an action node needs and how urgent it is, from its (platform) settings. */
export function actionSettings(config: Record<string, unknown>): { consent?: string; priority: ActionPriority } {
  const consent = typeof config.consent === 'string' && config.consent !== '' ? config.consent : undefined;
  const priority = ACTION_PRIORITIES.includes(config.priority as ActionPriority)
    ? (config.priority as ActionPriority)
    : 'normal';
  return { ...(consent ? { consent } : {}), priority };
}

const TYPE_NAME = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)+$/;

export function nodeKey(type: string, version: number): string {
  return `${type}@${version}`;
}

/** `action.webhook@1` -> { type: 'action.webhook', version: 1 }. */
export function splitNodeKey(key: string): { type: string; version: number } {
  const at = key.lastIndexOf('@');
  return { type: key.slice(0, at), version: Number(key.slice(at + 1)) };
}

export function defineNodeType<
  const F extends FieldShape,
  const O extends readonly [string, ...string[]],
  const T extends string,
  const K extends NodeKind,
>(spec: NodeTypeSpec<F, O, T, K>): NodeType<F, O, T, K> {
  if (!TYPE_NAME.test(spec.type)) throw new Error(`Node type ${spec.type} must look like "category.name"`);
  if (!Number.isInteger(spec.version) || spec.version < 1)
    throw new Error(`${spec.type}: version must be a positive integer`);
  if (new Set(spec.outputs).size !== spec.outputs.length) throw new Error(`${spec.type}: duplicate output names`);
  const declared: FieldShape = spec.kind === 'action' ? { ...spec.config, ...ACTION_FIELDS } : spec.config;
  const shape = Object.fromEntries(Object.entries(declared).map(([key, fld]) => [key, fld.schema]));
  const fields = Object.entries(declared).map(([key, fld]) => ({ key, ...fld.meta }));
  const defaults = Object.fromEntries(
    fields.filter((fld) => fld.default !== undefined).map((fld) => [fld.key, fld.default]),
  ) as Partial<ConfigOf<F>>;
  if (spec.migrate && !(spec.migrate.from >= 1 && spec.migrate.from < spec.version))
    throw new Error(`${spec.type}@${spec.version}: migrate.from must be an older version`);
  const step = spec.step ?? defaultStep(spec.kind, fields);
  if (!step) throw new Error(`${spec.type}: a ${spec.kind} node type must declare its step`);
  return {
    ...spec,
    key: nodeKey(spec.type, spec.version),
    // Strict: a misspelt key is an error, not silently ignored.
    configSchema: z.strictObject(shape) as unknown as z.ZodType<ConfigOf<F>>,
    fields,
    defaults,
    runtime: {
      readsState: spec.runtime?.readsState ?? false,
      writesState: spec.runtime?.writesState ?? false,
      registersWaiter: spec.runtime?.registersWaiter ?? false,
      resumes: spec.runtime?.resumes ?? spec.runtime?.registersWaiter ?? false,
      addsData: spec.runtime?.addsData ?? false,
    },
    step: step as StepFn<ConfigOf<F>, O[number]>,
    summary: spec.summary ?? (() => ''),
    secrets: fields.filter((fld) => fld.secret).map((fld) => fld.key),
  };
}
