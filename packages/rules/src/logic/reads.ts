import { isLogic } from './validate-logic.ts';

// Which data paths a rule reads, so the engine loads only the profile traits a workflow needs.
// Reads inside filter/map/... item rules are of array items, not of the context, and are skipped.

export interface LogicReads {
  paths: string[];
  /** A path computed at run time, or the whole data object: anything may be read. */
  dynamic: boolean;
}

const ITEM_SCOPED = new Set(['filter', 'map', 'reduce', 'all', 'none', 'some']);

export function logicReads(rule: unknown): LogicReads {
  const paths = new Set<string>();
  let dynamic = false;
  const addKey = (key: unknown): void => {
    if (key === undefined || key === null || key === '') dynamic = true;
    else if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') paths.add(String(key));
    else dynamic = true;
  };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (!isLogic(value)) return;
    const op = Object.keys(value)[0] as string;
    const raw = value[op];
    const args: unknown[] = Array.isArray(raw) ? raw : [raw];
    if (op === 'var') {
      if (isLogic(args[0]) || Array.isArray(args[0])) {
        dynamic = true;
        visit(args[0]);
      } else addKey(args[0]);
      args.slice(1).forEach(visit);
    } else if (op === 'missing' || op === 'missing_some') {
      const keys = op === 'missing' ? (Array.isArray(args[0]) ? args[0] : args) : args[1];
      if (Array.isArray(keys) && keys.every((k) => !isLogic(k) && !Array.isArray(k))) keys.forEach(addKey);
      else dynamic = true;
      if (op === 'missing_some') visit(args[0]);
    } else if (ITEM_SCOPED.has(op)) {
      visit(args[0]);
      if (op === 'reduce') visit(args[2]);
    } else {
      args.forEach(visit);
    }
  };
  visit(rule);
  return { paths: [...paths].sort(), dynamic };
}

/**
 * The `user.*` traits read by the given context paths: `["plan", "country"]`, or `["*"]` when the
 * whole profile may be needed (a dynamic path, or `user` itself).
 */
export function userFieldsOf(reads: LogicReads): string[] {
  if (reads.dynamic) return ['*'];
  const fields = new Set<string>();
  for (const path of reads.paths) {
    const [root, field] = path.split('.');
    if (root !== 'user') continue;
    if (field === undefined) return ['*'];
    fields.add(field);
  }
  return [...fields].sort();
}
