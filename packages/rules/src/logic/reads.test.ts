import { describe, expect, it } from 'vitest';
import { logicReads, userFieldsOf } from './reads.ts';

describe('logicReads', () => {
  it('collects constant paths from var, missing and missing_some, not from item scopes', () => {
    const rule = {
      and: [
        { '>': [{ var: 'event.properties.total' }, { var: ['user.threshold', 10] }] },
        { '!': { missing: ['user.email'] } },
        { missing_some: [1, ['user.phone', 'user.country']] },
        { some: [{ var: 'event.properties.items' }, { '>': [{ var: 'price' }, 5] }] },
      ],
    };
    const reads = logicReads(rule);
    expect(reads).toEqual({
      paths: [
        'event.properties.items',
        'event.properties.total',
        'user.country',
        'user.email',
        'user.phone',
        'user.threshold',
      ],
      dynamic: false,
    });
    expect(userFieldsOf(reads)).toEqual(['country', 'email', 'phone', 'threshold']);
  });

  it('treats computed paths and whole-object reads as reading everything', () => {
    expect(userFieldsOf(logicReads({ var: { cat: ['user.', 'plan'] } }))).toEqual(['*']);
    expect(userFieldsOf(logicReads({ var: '' }))).toEqual(['*']);
    expect(userFieldsOf(logicReads({ '==': [{ var: 'user' }, null] }))).toEqual(['*']);
    expect(userFieldsOf(logicReads({ '==': [{ var: 'event.name' }, 'x'] }))).toEqual([]);
  });
});
