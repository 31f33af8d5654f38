import { describe, expect, it, vi } from 'vitest';
import { applyLogic, compileLogic, LogicError } from './compile.ts';
import { createOperatorTable } from './operators.ts';
import { validateLogic } from './validate-logic.ts';

describe('operator table', () => {
  it('reports unknown operators with their path and never runs them', () => {
    const rule = { and: [true, { if: [false, { startsWith: [{ var: 'a' }, 'x'] }, 1] }] };
    expect(validateLogic(rule)).toEqual([
      {
        path: ['and', 1, 'if', 1, 'startsWith'],
        code: 'logic.unknown_operator',
        message: 'Unknown JSON Logic operator "startsWith"',
      },
    ]);
    // json-logic-js would return 1 here (the branch is not taken); we refuse the rule instead.
    expect(() => compileLogic(rule)).toThrow(LogicError);
    expect(() => applyLogic(rule, {})).toThrow(LogicError);
  });

  it('runs registered custom operators, compiled and interpreted, with evaluated arguments', () => {
    const startsWith = vi.fn((args: unknown[]) => String(args[0]).startsWith(String(args[1])));
    const operators = createOperatorTable({ starts_with: startsWith });
    const rule = { starts_with: [{ var: 'email' }, { cat: ['ad', 'min'] }] };
    expect(validateLogic(rule, { operators })).toEqual([]);
    expect(compileLogic(rule, { operators })({ email: 'admin@example.com' })).toBe(true);
    expect(applyLogic(rule, { email: 'user@example.com' }, { operators })).toBe(false);
    expect(startsWith).toHaveBeenCalledWith(['admin@example.com', 'admin'], { email: 'admin@example.com' });
    // Another table does not know it.
    expect(() => compileLogic(rule)).toThrow(LogicError);
  });

  it('refuses to replace built-ins or re-register a name', () => {
    const operators = createOperatorTable();
    expect(() => operators.register('var', () => 1)).toThrow(/built in/);
    operators.register('double', (args) => Number(args[0]) * 2);
    expect(() => operators.register('double', () => 0)).toThrow(/already/);
    expect(() => operators.register('bad.name', () => 0)).toThrow(/Invalid/);
  });

  it('enforces depth and size limits', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { '!': [deep] };
    expect(validateLogic(deep)[0]?.code).toBe('logic.too_deep');
    expect(() => compileLogic(deep)).toThrow(LogicError);
    const wide = { and: Array.from({ length: 6000 }, () => true) };
    expect(validateLogic(wide)[0]?.code).toBe('logic.too_large');
  });

  it('caches compiled functions by identity and by JSON text', () => {
    const rule = { '>': [{ var: 'n' }, 1] };
    const fn = compileLogic(rule);
    expect(compileLogic(rule)).toBe(fn);
    expect(compileLogic(JSON.parse(JSON.stringify(rule)))).toBe(fn);
    // A rule returning a literal object by reference is never shared with another rule object.
    const literal = { if: [true, { a: 1, b: 2 }, 0] };
    const copy = structuredClone(literal);
    expect(compileLogic(copy)()).toBe(copy.if[1]);
    expect(compileLogic(literal)()).toBe(literal.if[1]);
  });
});
