// The one place where validation issues become words for people. zod's own texts ("Invalid input:
// expected string, received undefined") never reach a screen: schemas without their own message
// get one from plainIssueMessage, the editor's inputs from the helpers below.
import type { z } from 'zod';
import { durationMs } from '../duration/duration.ts';
import { DurationError, fromHumanDuration, type HumanDurationUnit } from '../duration/human-duration.ts';

export const DURATION_RANGE_MESSAGE = 'Enter a time between 1 second and 90 days';

type Issue = z.core.$ZodRawIssue | z.core.$ZodIssue;

const A: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
  date: 'a date',
};

const FORMATS: Record<string, string> = {
  email: 'Enter an email address like name@example.com',
  url: 'Enter a URL that starts with https://',
  uuid: 'That link or id is not valid; go back and try again',
  regex: 'Use only letters, digits, dashes and underscores',
};

/** "userId" -> "user id", for issues outside any form we know the label of. */
export function labelFromKey(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

function lastKey(issue: Issue): string | undefined {
  const path = (issue as { path?: PropertyKey[] }).path ?? [];
  const key = [...path].reverse().find((p) => typeof p === 'string');
  return typeof key === 'string' ? key : undefined;
}

/**
 * A zod issue in plain words. `label` is what the form calls the field ("Workflow name"); without
 * one, the key itself is used.
 */
export function plainIssueMessage(issue: Issue, label?: string): string {
  const key = lastKey(issue);
  const name = label ?? (key ? labelFromKey(key) : 'this');
  // "URL" stays as it is; "Workflow name" reads "workflow name" inside a sentence.
  const lower = /^[A-Z][a-z]/.test(name) ? name.charAt(0).toLowerCase() + name.slice(1) : name;
  const upper = name.charAt(0).toUpperCase() + name.slice(1);
  const i = issue as Record<string, unknown>;
  switch (issue.code) {
    case 'invalid_type':
      if (i.input === undefined || i.input === null) return `Enter ${withArticle(lower)}`;
      return `${upper}: enter ${A[String(i.expected)] ?? 'a valid value'}`;
    case 'too_small':
      if (i.origin === 'string')
        return Number(i.minimum) <= 1
          ? `Enter ${withArticle(lower)}`
          : `${upper} needs at least ${i.minimum} characters`;
      if (i.origin === 'array' || i.origin === 'set') return `Add at least ${i.minimum} to ${lower}`;
      return `${upper} must be at least ${i.minimum}`;
    case 'too_big':
      if (i.origin === 'string') return `${upper} can be at most ${i.maximum} characters`;
      if (i.origin === 'array' || i.origin === 'set') return `${upper} can have at most ${i.maximum}`;
      return `${upper} can be at most ${i.maximum}`;
    case 'invalid_format':
      return FORMATS[String(i.format)] ?? `${upper} is not in the expected form`;
    case 'invalid_value':
      return Array.isArray(i.values) && i.values.length <= 8
        ? `Choose ${lower}: ${i.values.map(String).join(', ')}`
        : `Choose ${withArticle(lower)}`;
    case 'unrecognized_keys':
      return `${(i.keys as string[] | undefined)?.join(', ') ?? 'Some fields'} ${
        (i.keys as string[] | undefined)?.length === 1 ? 'is' : 'are'
      } not something this accepts; remove ${(i.keys as string[] | undefined)?.length === 1 ? 'it' : 'them'}`;
    case 'not_multiple_of':
      return `${upper}: enter a multiple of ${i.divisor}`;
    case 'invalid_union':
      return `${upper} is not in a form we can read`;
    case 'custom':
      return typeof i.message === 'string' && i.message ? i.message : `Check ${lower}`;
    default:
      return `Check ${lower}`;
  }
}

function withArticle(text: string): string {
  if (/^(a|an|the|your)\s/i.test(text)) return text;
  // Initialisms are read letter by letter: "an SQL query", "a URL".
  if (/^[A-Z]{2}/.test(text)) return /^[AEFHILMNORSX]/.test(text) ? `an ${text}` : `a ${text}`;
  return /^[aeiou]/i.test(text) ? `an ${text}` : `a ${text}`;
}

/** zod's `error` option / `z.config({ customError })`: our words instead of the library's. */
export function plainErrorMap(issue: z.core.$ZodRawIssue): string {
  return plainIssueMessage(issue);
}

/** What is wrong with a duration as a person typed it (number + unit), or null. */
export function durationInputProblem(value: number, unit: HumanDurationUnit): string | null {
  if (!Number.isFinite(value)) return DURATION_RANGE_MESSAGE;
  if (value <= 0) return DURATION_RANGE_MESSAGE;
  try {
    const iso = fromHumanDuration({ value, unit });
    return durationMs(iso) < 1000 ? DURATION_RANGE_MESSAGE : null;
  } catch (error) {
    if (error instanceof DurationError && error.code === 'duration.out_of_range') return DURATION_RANGE_MESSAGE;
    if (value > 1e6) return DURATION_RANGE_MESSAGE;
    return unit === 'seconds'
      ? 'Enter seconds with at most 3 decimals'
      : `Enter a whole number of ${unit}, or switch to a smaller unit`;
  }
}

/** A JSON parse failure as a person can act on it: where, and what to look for. */
export function jsonProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    let where = '';
    if (position) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      where = ` on line ${line}`;
    }
    if (/Unexpected end/i.test(message)) return 'This JSON stops too early: check for a missing } or ]';
    return `This is not valid JSON${where}: check the quotes, commas and brackets`;
  }
}
