// What a new password must be (OWASP ASVS V2.1, NIST SP 800-63B): long enough in characters as
// people count them, not only spaces, and not guessable — checked with zxcvbn-ts against the
// passwords of public breach corpora, common words and names, keyboard patterns, dates and
// "Summer2024!"-style variants (decision 023). No composition rules: they make passwords worse.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
/** zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline slow-hash scenario". */
const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;
// Built on first use: the dictionaries take a moment to load and only sign-up needs them.
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return estimator;
}

/** Length as people count it: code points, so five emoji are five characters, not ten. */
export function passwordLength(password: string): number {
  let n = 0;
  for (const _ of password) n++;
  return n;
}

/** The reason a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string, name?: string): string | null {
  const length = passwordLength(password);
  if (length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim() === '') return 'Use letters, digits or symbols, not only spaces';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && password.toLowerCase().includes(local)) {
    return 'Do not use your email address in the password';
  }
  const inputs = [local, name, 'tripwire'].filter((v): v is string => !!v);
  const result = zxcvbn().check(password, inputs);
  if (result.score >= MIN_SCORE) return null;
  const warning = result.feedback.warning;
  return `This password is too easy to guess${warning ? ` (${warning.replace(/\.$/, '').toLowerCase()})` : ''}; add words only you would pick`;
}
