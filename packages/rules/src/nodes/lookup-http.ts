import { defineNodeType } from '../define-node-type.ts';
import { durationMs } from '../duration/duration.ts';
import { describeDuration } from '../duration/human-duration.ts';
import { f } from '../fields.ts';
import { REDACTED } from '../runtime/redact.ts';
import { renderUrlTemplate } from '../template/template.ts';
import {
  LOOKUP_DEFAULT_TIMEOUT_MS,
  LOOKUP_MAX_CACHE_MS,
  LOOKUP_MAX_HEADER_VALUE_LENGTH,
  LOOKUP_MAX_TIMEOUT_MS,
  LOOKUP_MAX_URL_LENGTH,
  LOOKUP_MIN_TIMEOUT_MS,
  type LookupRequest,
  lookupRequestProblem,
  storableAnswer,
} from '../wire/lookup.ts';

/** What the trace says when a replay ("why not?", a backtest) reaches a look-up. */
export const LOOKUP_NOT_CALLED =
  'Replays do not call look-ups (the API would be called once per replayed event); the error output was taken';

const headerMap = (value: unknown): Record<string, string> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
    : {};

export const lookupHttp = defineNodeType({
  type: 'lookup.http',
  version: 1,
  kind: 'control',
  label: 'Look up',
  description:
    "Gets JSON about the user from an HTTP API; later nodes read it as lookup.<this node's id>. A time-out or an error takes the error output.",
  icon: 'search',
  outputs: ['ok', 'error'],
  config: {
    url: f.urlTemplate({
      label: 'URL',
      placeholder: 'https://api.example.com/users/{{ event.userId }}',
      help: 'A GET request; each {{ placeholder }} is URL-encoded',
    }),
    headers: f.httpHeaders({ label: 'Headers', optional: true, templates: true }),
    secretHeaders: f.httpHeaders({
      label: 'Secret headers',
      help: 'Authorization and other credentials: sent, but never shown in traces, logs or exports',
      optional: true,
      templates: true,
      secret: true,
    }),
    cacheFor: f.duration({
      label: 'Reuse the answer for',
      help: 'Per user, up to 7 days; empty calls the API every time',
      placeholder: 'PT10M',
      optional: true,
    }),
    timeoutMs: f.integer({
      label: 'Give up after (ms)',
      min: LOOKUP_MIN_TIMEOUT_MS,
      max: LOOKUP_MAX_TIMEOUT_MS,
      default: LOOKUP_DEFAULT_TIMEOUT_MS,
    }),
  },
  runtime: { addsData: true },
  validate(config) {
    const issues = [];
    if (config.cacheFor !== undefined && durationMs(config.cacheFor) > LOOKUP_MAX_CACHE_MS) {
      issues.push({
        path: ['cacheFor'],
        code: 'duration.out_of_range',
        message: 'An answer can be reused for at most 7 days',
      });
    }
    const plain = new Set(Object.keys(config.headers ?? {}).map((h) => h.toLowerCase()));
    for (const name of Object.keys(config.secretHeaders ?? {})) {
      if (plain.has(name.toLowerCase()))
        issues.push({
          path: ['secretHeaders', name],
          code: 'header.duplicate',
          message: `${name} is also a plain header; keep it in one list`,
        });
    }
    return issues;
  },
  async step(node, { data, state }) {
    const url = renderUrlTemplate(node.config.url, data);
    const plain = headerMap(node.templates.headers?.(data));
    const secret = headerMap(node.templates.secretHeaders?.(data));
    const cacheForMs = Math.min(node.durations.cacheFor ?? 0, LOOKUP_MAX_CACHE_MS);
    const request: LookupRequest = {
      url,
      headers: { ...plain, ...secret },
      timeoutMs: node.config.timeoutMs,
      cacheForMs,
    };
    // The request as traces show it: secret headers by name only.
    // (cut to what may be sent: an event can make them any length, and the trace is stored)
    const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
    const shown = {
      url: cut(url, LOOKUP_MAX_URL_LENGTH),
      headers: {
        ...Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, cut(v, LOOKUP_MAX_HEADER_VALUE_LENGTH)])),
        ...Object.fromEntries(Object.keys(secret).map((k) => [k, REDACTED])),
      },
    };
    if (!state.lookup) {
      return { output: 'error', detail: { lookup: { ...shown, outcome: 'not_called', message: LOOKUP_NOT_CALLED } } };
    }
    const problem = lookupRequestProblem(request);
    if (problem) {
      return {
        output: 'error',
        detail: { lookup: { ...shown, outcome: 'failed', reason: 'invalid_request', message: problem } },
      };
    }
    const answer = storableAnswer(await state.lookup(node.id, request));
    if (!answer.ok) {
      const { reason, message, status, durationMs } = answer;
      return {
        output: 'error',
        detail: {
          lookup: {
            ...shown,
            outcome: 'failed',
            reason,
            message,
            ...(status !== undefined ? { status } : {}),
            ...(durationMs !== undefined ? { durationMs } : {}),
          },
        },
      };
    }
    const { status, cached, durationMs, value } = answer;
    return {
      output: 'ok',
      value,
      detail: { lookup: { ...shown, outcome: 'ok', status, cached, durationMs }, value },
    };
  },
  summary: (c) => {
    if (!c.url) return 'set a URL';
    const cache = c.cacheFor ? `, reused for ${describeDuration(c.cacheFor)}` : '';
    return `GET ${c.url}${cache}`;
  },
});
