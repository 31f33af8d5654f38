import { built, builtText, chargeItem, resetMeter } from './budget.ts';
import { missing, missingSome } from './interpret.ts';
import type { OperatorTable } from './operators.ts';
import * as rt from './runtime.ts';

/** The helper object handed to generated code; `missing` needs the operator table for its slow path. */
export type Helpers = Record<string, unknown>;

const tables = new WeakMap<OperatorTable, Helpers>();

/** Read in place of null/undefined while walking a path: every key reads as undefined. */
const EMPTY: unknown = Object.freeze(Object.create(null));

/** "Not read yet" for memoised reads: no data value is ever this object. */
const UNREAD: unknown = Object.freeze(Object.create(null));

export function helpersFor(operators: OperatorTable): Helpers {
  let helpers = tables.get(operators);
  if (helpers === undefined) {
    helpers = {
      E: EMPTY,
      U: UNREAD,
      truthy: rt.truthy,
      toFloat: rt.toFloat,
      toText: rt.toText,
      varPath: rt.varPath,
      inOp: rt.inOp,
      substr: rt.substr,
      times: rt.times,
      minus: rt.minus,
      lessThan: rt.lessThan,
      lessOrEqual: rt.lessOrEqual,
      merge: rt.merge,
      logValue: rt.logValue,
      mathMin: Math.min,
      mathMax: Math.max,
      reduceOp: rt.reduceOp,
      resetMeter,
      chargeItem,
      built,
      builtText,
      missing: (d: unknown, args: unknown[]) => missing(d, args, operators),
      missingSome: (d: unknown, need: unknown, options: unknown) => missingSome(d, need, options, operators),
    };
    tables.set(operators, helpers);
  }
  return helpers;
}
