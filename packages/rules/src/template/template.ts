// `{{ path }}` templates over the rule context. Parsing produces literal/path parts once; rendering
// is a lookup and a join — there is no expression language, so nothing in a template can execute.
// A string, or any JSON value whose strings are templates (a webhook body), can be a template.

/** `lookup.<node id>` is what an earlier "Look up" node of the run answered (undefined until then). */
export const TEMPLATE_ROOTS = ['event', 'trigger', 'user', 'lookup'] as const;

export interface TemplateIssue {
  path: (string | number)[];
  code: 'template.invalid' | 'template.unknown_root';
  message: string;
}

type Part = string | { path: string[] };

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const PATH = /^[A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*$/;

function parse(text: string): { parts: Part[]; error?: string } {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const expr = m[1] ?? '';
    if (!PATH.test(expr))
      return { parts, error: `Placeholder {{ ${expr} }} is not a path like event.properties.total` };
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ path: expr.split('.') });
    last = m.index + m[0].length;
  }
  const rest = text.slice(last);
  if (rest.includes('{{')) return { parts, error: 'Unclosed {{ in template' };
  if (rest) parts.push(rest);
  return { parts };
}

function lookup(context: unknown, path: string[]): unknown {
  let current = context;
  for (const segment of path) {
    // Own properties only: templates have no business reaching prototypes.
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function insert(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export type CompiledTemplate = (context: unknown) => unknown;

function compileString(text: string): CompiledTemplate {
  const { parts, error } = parse(text);
  if (error) throw new Error(error);
  const [only] = parts;
  if (parts.length === 1 && typeof only === 'object') {
    // Exactly one placeholder: the value itself, so a body field can be a number or an object.
    return (context) => {
      const value = lookup(context, only.path);
      return value === undefined ? '' : value;
    };
  }
  if (parts.every((p) => typeof p === 'string')) return () => text;
  return (context) => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : insert(lookup(context, part.path));
    return out;
  };
}

/** Compiles a template (a string, or JSON whose strings are templates). Throws on an invalid template. */
export function compileTemplate(template: unknown): CompiledTemplate {
  if (typeof template === 'string') return compileString(template);
  if (Array.isArray(template)) {
    const items = template.map(compileTemplate);
    return (context) => items.map((item) => item(context));
  }
  if (template !== null && typeof template === 'object') {
    const entries = Object.entries(template).map(([key, value]) => [key, compileTemplate(value)] as const);
    return (context) => Object.fromEntries(entries.map(([key, item]) => [key, item(context)]));
  }
  return () => template;
}

/**
 * A URL template rendered with each inserted value percent-encoded, so a value cannot add a path
 * segment, a query parameter or another host (`{{ event.userId }}` = "a/../admin?x=" stays one segment).
 */
export function renderUrlTemplate(text: string, context: unknown): string {
  const { parts, error } = parse(text);
  if (error) throw new Error(error);
  let out = '';
  for (const part of parts)
    out += typeof part === 'string' ? part : encodeURIComponent(insert(lookup(context, part.path)));
  return out;
}

export function renderTemplate(template: unknown, context: unknown): unknown {
  return compileTemplate(template)(context);
}

function walkStrings(
  value: unknown,
  path: (string | number)[],
  visit: (text: string, path: (string | number)[]) => void,
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) walkStrings(value[i], [...path, i], visit);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walkStrings(item, [...path, key], visit);
  }
}

export function validateTemplate(template: unknown): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  walkStrings(template, [], (text, path) => {
    const { parts, error } = parse(text);
    if (error) {
      issues.push({ path, code: 'template.invalid', message: error });
      return;
    }
    for (const part of parts) {
      if (typeof part === 'string') continue;
      const root = part.path[0] as string;
      if (!(TEMPLATE_ROOTS as readonly string[]).includes(root)) {
        issues.push({
          path,
          code: 'template.unknown_root',
          message: `{{ ${part.path.join('.')} }} must start with event, trigger, user or lookup`,
        });
      }
    }
  });
  return issues;
}

/** Every path a template reads, as dotted strings. */
export function templatePaths(template: unknown): string[] {
  const paths = new Set<string>();
  walkStrings(template, [], (text) => {
    for (const part of parse(text).parts) if (typeof part !== 'string') paths.add(part.path.join('.'));
  });
  return [...paths];
}
