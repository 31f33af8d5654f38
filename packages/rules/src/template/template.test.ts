import { describe, expect, it } from 'vitest';
import { compileTemplate, renderTemplate, templatePaths, validateTemplate } from './template.ts';

const context = {
  event: { name: 'order_completed', properties: { total: 42.5, items: [{ sku: 'a' }], note: 'hi' } },
  trigger: { name: 'signup' },
  user: { plan: 'pro', email: null },
};

describe('renderTemplate', () => {
  it('interpolates strings as strings and other JSON as JSON', () => {
    expect(renderTemplate('Order {{ event.properties.total }} for {{user.plan}}', context)).toBe('Order 42.5 for pro');
    expect(renderTemplate('items={{ event.properties.items }} email={{ user.email }}', context)).toBe(
      'items=[{"sku":"a"}] email=null',
    );
  });

  it('yields the value itself when the template is exactly one placeholder', () => {
    expect(renderTemplate('{{ event.properties.total }}', context)).toBe(42.5);
    expect(renderTemplate('{{ event.properties.items }}', context)).toEqual([{ sku: 'a' }]);
  });

  it('renders undefined as an empty string', () => {
    expect(renderTemplate('{{ event.properties.missing }}', context)).toBe('');
    expect(renderTemplate('x{{ user.nope.deeper }}y', context)).toBe('xy');
  });

  it('renders JSON structures whose strings are templates', () => {
    const body = { total: '{{ event.properties.total }}', who: ['{{ user.plan }}', 1, true, null] };
    expect(renderTemplate(body, context)).toEqual({ total: 42.5, who: ['pro', 1, true, null] });
  });

  it('never reads prototypes and never evaluates code', () => {
    expect(renderTemplate('{{ event.constructor }}', context)).toBe('');
    expect(renderTemplate('{{ user.__proto__ }}', context)).toBe('');
    expect(() => compileTemplate('{{ process.exit(1) }}')).toThrow(/not a path/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: must stay literal text.
    expect(renderTemplate('${1+1} `x` {{ event.name }}', context)).toBe('${1+1} `x` order_completed');
  });
});

describe('validateTemplate', () => {
  it('reports malformed placeholders and unknown roots with their path', () => {
    expect(validateTemplate({ a: ['ok {{ event.name }}', '{{ nope.x }}'], b: '{{ event.name' })).toEqual([
      { path: ['a', 1], code: 'template.unknown_root', message: expect.any(String) },
      { path: ['b'], code: 'template.invalid', message: 'Unclosed {{ in template' },
    ]);
    expect(validateTemplate('{{ a + b }}')[0]?.code).toBe('template.invalid');
  });

  it('lists the paths a template reads', () => {
    expect(templatePaths({ a: '{{ user.plan }} {{ event.name }}', b: ['{{ user.plan }}'] })).toEqual([
      'user.plan',
      'event.name',
    ]);
  });
});
