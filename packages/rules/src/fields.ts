import { z } from 'zod';
import { parseDuration } from './duration/duration.ts';
import { DEFAULT_LOGIC_BUDGET } from './logic/budget.ts';
import { validateLogic } from './logic/validate-logic.ts';
import { DURATION_RANGE_MESSAGE } from './messages/plain-messages.ts';
import { validateTemplate } from './template/template.ts';
import { HEADER_NAME, isSendableHeaderValue, kafkaTopicProblem, RESERVED_WEBHOOK_HEADERS } from './wire.ts';

// Field helpers: each returns the zod schema that validates a config value AND the metadata the
// editor renders a form control from. Nothing else describes a config field, so the form, the
// save-time check, the engine's load-time check and the compiler cannot drift apart.

export type Widget =
  | 'text'
  | 'event'
  | 'integer'
  | 'duration'
  | 'json-logic'
  | 'template'
  | 'url'
  | 'select'
  | 'key-value';

export interface FieldMeta {
  widget: Widget;
  label: string;
  help?: string;
  placeholder?: string;
  required: boolean;
  default?: unknown;
  min?: number;
  max?: number;
  options?: readonly string[];
  /** Templates only: the value may be any JSON whose strings are templates (a request body). */
  json?: boolean;
  /** The value is a credential: redacted wherever config is shown (traces, dead letters, exports). */
  secret?: boolean;
  /** A key-value map whose values are `{{ }}` templates: compiled like a template field. */
  templated?: boolean;
}

export interface Field<T> {
  readonly schema: z.ZodType<T>;
  readonly meta: FieldMeta;
}

interface Common<T> {
  label: string;
  help?: string;
  placeholder?: string;
  optional?: boolean;
  default?: T;
  /** A credential (a token, a signed URL, auth headers): redacted in traces, dead letters, logs and exports. */
  secret?: boolean;
}

type Out<T, O> = O extends { optional: true } ? T | undefined : T;

/** Custom issues carry our error code in params, mapped to RuleValidationError.code later. */
function fail(ctx: z.RefinementCtx, code: string, message: string, path: (string | number)[] = []): void {
  ctx.addIssue({ code: 'custom', message, path, params: { code } });
}

function field<T, O extends Common<T>>(
  base: z.ZodType<T>,
  widget: Widget,
  opts: O,
  extra: Partial<FieldMeta> = {},
): Field<Out<T, O>> {
  let schema: z.ZodType = base;
  if (opts.default !== undefined) schema = base.default(opts.default as never);
  else if (opts.optional) schema = base.optional();
  const meta: FieldMeta = {
    widget,
    label: opts.label,
    required: !opts.optional && opts.default === undefined,
    ...(opts.help !== undefined ? { help: opts.help } : {}),
    ...(opts.placeholder !== undefined ? { placeholder: opts.placeholder } : {}),
    ...(opts.default !== undefined ? { default: opts.default } : {}),
    ...(opts.secret ? { secret: true } : {}),
    ...extra,
  };
  return { schema: schema as z.ZodType<Out<T, O>>, meta };
}

function hasNoControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

/** How a consent category is spelled, by tenants and on action nodes ("none": needs no consent). */
export const CONSENT_CATEGORY = /^[a-z0-9][a-z0-9_-]{0,39}$/;

const ALLOWED_SCHEMES = ['https:', 'http:'];

export const f = {
  string<O extends Common<string> & { maxLength?: number }>(opts: O) {
    return field(
      z
        .string()
        .min(1)
        .max(opts.maxLength ?? 1000),
      'text',
      opts,
    );
  },

  /** An event name as it arrives on the Kafka topic ("order_completed", "Order Completed"). */
  eventName<O extends Common<string>>(opts: O) {
    const schema = z
      .string()
      .min(1)
      .max(200)
      .refine(hasNoControlCharacters, 'Event names cannot contain line breaks or tabs');
    return field(schema, 'event', opts);
  },

  integer<O extends Common<number> & { min?: number; max?: number }>(opts: O) {
    let schema = z.number().int();
    if (opts.min !== undefined) schema = schema.min(opts.min);
    if (opts.max !== undefined) schema = schema.max(opts.max);
    return field(schema, 'integer', opts, {
      ...(opts.min !== undefined ? { min: opts.min } : {}),
      ...(opts.max !== undefined ? { max: opts.max } : {}),
    });
  },

  /** ISO-8601 duration, 0 < d ≤ 90 days; no months or years. */
  duration<O extends Common<string>>(opts: O) {
    const schema = z.string().superRefine((value, ctx) => {
      const result = parseDuration(value);
      // A wait under a second is a typo, not a plan; people read one range in one message.
      if (!result.ok)
        fail(ctx, result.code, result.code === 'duration.ambiguous' ? result.message : DURATION_RANGE_MESSAGE);
      else if (result.ms < 1000) fail(ctx, 'duration.out_of_range', DURATION_RANGE_MESSAGE);
    });
    return field(schema, 'duration', { placeholder: 'PT10M', ...opts });
  },

  /**
   * A JSON Logic rule over the rule context; unknown operators, oversized rules and rules certain
   * to go over the evaluation budget are rejected.
   */
  jsonLogic<O extends Common<unknown>>(opts: O) {
    const schema = z.unknown().superRefine((value, ctx) => {
      if (value === undefined) {
        if (!opts.optional) fail(ctx, 'config.required', 'A rule is required');
        return;
      }
      const limits = { maxDepth: 24, maxNodes: 500 };
      for (const issue of validateLogic(value, { limits, budget: DEFAULT_LOGIC_BUDGET })) {
        fail(ctx, issue.code, issue.message, issue.path);
      }
    });
    return field(schema as z.ZodType<unknown>, 'json-logic', opts);
  },

  /** `{{ path }}` template; with `json: true` any JSON value whose strings are templates. */
  template<O extends Common<unknown> & { json?: boolean }>(opts: O) {
    const base = opts.json ? z.json() : z.string().max(10_000);
    const schema = base.superRefine((value, ctx) => {
      for (const issue of validateTemplate(value)) fail(ctx, issue.code, issue.message, issue.path);
    });
    type T = O extends { json: true } ? unknown : string;
    return field(
      schema as unknown as z.ZodType<T>,
      'template',
      opts as Common<T>,
      opts.json ? { json: true } : {},
    ) as Field<Out<T, O>>;
  },

  /** An absolute http(s) URL; other schemes (file:, javascript:, data:, ...) are unsafe. */
  url<O extends Common<string>>(opts: O) {
    const schema = z
      .string()
      .max(2000)
      .superRefine((value, ctx) => {
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          fail(ctx, 'url.invalid', 'Enter a URL that starts with https://');
          return;
        }
        if (!ALLOWED_SCHEMES.includes(url.protocol)) {
          fail(ctx, 'url.unsafe_scheme', `URL scheme ${url.protocol} is not allowed; use https or http`);
        } else if (url.username || url.password) {
          fail(ctx, 'url.credentials', 'Put credentials in a header, not in the URL');
        }
      });
    return field(schema, 'url', { placeholder: 'https://', ...opts });
  },

  /** A Kafka topic a workflow may publish to (see RESERVED_TOPIC_PREFIXES). */
  kafkaTopic<O extends Common<string>>(opts: O) {
    const schema = z.string().superRefine((value, ctx) => {
      const problem = kafkaTopicProblem(value);
      if (problem) fail(ctx, problem.code, problem.message);
    });
    return field(schema, 'text', opts);
  },

  enum<const V extends readonly [string, ...string[]], O extends Common<V[number]>>(values: V, opts: O) {
    return field(z.enum(values) as unknown as z.ZodType<V[number]>, 'select', opts, { options: values });
  },

  /** A consent category name as a tenant declares it ("marketing"), or "none". Lower case. */
  consentCategory<O extends Common<string>>(opts: O) {
    const schema = z
      .string()
      .regex(CONSENT_CATEGORY, 'A consent category is 1-40 lower-case letters, digits, "-" or "_" (e.g. marketing)');
    return field(schema, 'text', opts);
  },

  /** String-to-string map, e.g. HTTP headers. */
  keyValue<O extends Common<Record<string, string>>>(opts: O) {
    const schema = z.record(z.string().regex(HEADER_NAME, 'Invalid name'), z.string().max(4000));
    return field(schema as z.ZodType<Record<string, string>>, 'key-value', opts);
  },

  /**
   * HTTP request headers a webhook may send: the ones every delivery would refuse are errors now.
   * With `templates: true` the values may hold `{{ placeholders }}`, rendered for each run.
   */
  httpHeaders<O extends Common<Record<string, string>> & { templates?: boolean }>(opts: O) {
    const schema = z.record(z.string(), z.string().max(4000)).superRefine((headers, ctx) => {
      for (const [name, value] of Object.entries(headers)) {
        if (!HEADER_NAME.test(name)) {
          fail(
            ctx,
            'header.invalid_name',
            `“${name.slice(0, 40)}” is not a header name: use letters, digits and - (no spaces)`,
            [name],
          );
        } else if (RESERVED_WEBHOOK_HEADERS.has(name.toLowerCase())) {
          fail(ctx, 'header.reserved', `${name} is set by Tripwire, not by the workflow`, [name]);
        } else if (!isSendableHeaderValue(value)) {
          fail(ctx, 'header.invalid_value', 'Header values cannot contain line breaks or characters beyond Latin-1', [
            name,
          ]);
        } else if (opts.templates) {
          for (const issue of validateTemplate(value)) fail(ctx, issue.code, issue.message, [name]);
        }
      }
    });
    return field(
      schema as z.ZodType<Record<string, string>>,
      'key-value',
      opts,
      opts.templates ? { templated: true } : {},
    );
  },

  /**
   * An absolute http(s) URL with `{{ placeholders }}` (rendered and URL-encoded for each run); the
   * rendered URL is checked again, with the address guard, when the request is made.
   */
  urlTemplate<O extends Common<string>>(opts: O) {
    const schema = z
      .string()
      .max(2000)
      .superRefine((value, ctx) => {
        const issues = validateTemplate(value);
        for (const issue of issues) fail(ctx, issue.code, issue.message);
        if (issues.length > 0) return;
        // Each placeholder stands for some text; what is around them must make an http(s) URL.
        const shape = value.replace(/\{\{[^{}]*\}\}/g, 'x');
        let url: URL;
        try {
          url = new URL(shape);
        } catch {
          fail(ctx, 'url.invalid', 'Enter a URL that starts with https://');
          return;
        }
        if (!ALLOWED_SCHEMES.includes(url.protocol) || !/^https?:\/\//i.test(value)) {
          fail(ctx, 'url.unsafe_scheme', 'Enter a URL that starts with https:// (or http://)');
        } else if (url.username || url.password) {
          fail(ctx, 'url.credentials', 'Put credentials in a secret header, not in the URL');
        }
      });
    return field(schema, 'template', { placeholder: 'https://', ...opts });
  },
};
