// What a new password must be: long enough, and not one of the first guesses of any attacker.
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

// The most common passwords of public breach corpora (and their obvious variants), lower-cased.
// Short by design: length >= 10 already rules out most of any top-10k list.
const COMMON = new Set(
  [
    'password',
    'password1',
    'password12',
    'password123',
    'password1234',
    'passw0rd',
    'p@ssw0rd',
    'p@ssword',
    '1234567890',
    '12345678910',
    '0123456789',
    '0987654321',
    '1111111111',
    '1234512345',
    '1q2w3e4r5t',
    '1qaz2wsx3edc',
    'qwertyuiop',
    'qwerty1234',
    'qwerty12345',
    'qwerty123456',
    'asdfghjkl',
    'asdfghjkl1',
    'zxcvbnm123',
    'iloveyou12',
    'iloveyou123',
    'letmein123',
    'welcome123',
    'welcome1234',
    'admin12345',
    'administrator',
    'changeme123',
    'football123',
    'baseball123',
    'superman123',
    'princess123',
    'sunshine123',
    'trustno1234',
    'monkey12345',
    'dragon12345',
    'abc1234567',
    'abcdefghij',
    'qazwsxedc123',
    'starwars123',
    'whatever123',
    'computer123',
    'internet123',
    'secret1234',
    'master12345',
    'michael123',
    'jennifer123',
    'tripwire123',
    'tripwire1234',
  ].map((p) => p.toLowerCase()),
);

/** The reason a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'This password is too common; choose another';
  if (/^(.)\1+$/.test(password)) return 'Do not repeat one character';
  if (/^\d+$/.test(password) && isSequence(password)) return 'Do not use a run of digits';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'Do not use your email address in the password';
  return null;
}

function isSequence(digits: string): boolean {
  let up = true;
  let down = true;
  for (let i = 1; i < digits.length; i++) {
    const d = Number(digits[i]) - Number(digits[i - 1]);
    if (d !== 1 && d !== -9) up = false;
    if (d !== -1 && d !== 9) down = false;
  }
  return up || down;
}
