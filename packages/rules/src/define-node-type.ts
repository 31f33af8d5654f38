import { z } from 'zod';
import type { ErrorPath } from './errors.ts';
import type { Field, FieldMeta } from './fields.ts';

export const NODE_KINDS = ['trigger', 'condition', 'wait', 'action', 'control'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export type FieldShape = Record<string, Field<unknown>>;
export type ConfigOf<F extends FieldShape> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

/** Which events a node needs to see; the compiler turns these into the plan's event index. */
export interface EventInterest {
  event: string;
  as: 'trigger' | 'wait' | 'count';
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
}

const TYPE_NAME = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)+$/;

export function nodeKey(type: string, version: number): string {
  return `${type}@${version}`;
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
  const shape = Object.fromEntries(Object.entries(spec.config).map(([key, fld]) => [key, fld.schema]));
  const fields = Object.entries(spec.config).map(([key, fld]) => ({ key, ...fld.meta }));
  const defaults = Object.fromEntries(
    fields.filter((fld) => fld.default !== undefined).map((fld) => [fld.key, fld.default]),
  ) as Partial<ConfigOf<F>>;
  return {
    ...spec,
    key: nodeKey(spec.type, spec.version),
    // Strict: a misspelt key is an error, not silently ignored.
    configSchema: z.strictObject(shape) as unknown as z.ZodType<ConfigOf<F>>,
    fields,
    defaults,
  };
}
