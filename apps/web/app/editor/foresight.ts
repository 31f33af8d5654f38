import { describeChanges, type WorkflowDocumentInput } from '@tripwire/rules';

/** A backtest is "recent" for this long: older history may no longer say much about tomorrow. */
export const FORESIGHT_MAX_AGE_MS = 24 * 3_600_000;
/** Publishing a change that multiplies the actions per day by this much asks for confirmation. */
export const VOLUME_CONFIRM_FACTOR = 10;

export interface BacktestSummary {
  status: string;
  from: string;
  to: string;
  finishedAt: string | null;
  document: unknown;
  result: { draft: { actions: number }; live: { actions: number } | null } | null;
}

export interface Foresight {
  draftPerDay: number;
  /** null: nothing was live over the backtest. */
  livePerDay: number | null;
  /** The draft fires 10x (or more) the live version's actions: publishing asks first. */
  needsConfirmation: boolean;
}

/** What the publish dialog can say about the draft from its latest backtest, if that is of this draft and recent. */
export function foresightOf(
  bt: BacktestSummary | null | undefined,
  draft: unknown,
  now = Date.now(),
): Foresight | null {
  if (bt?.status !== 'done' || !bt.result || !bt.finishedAt) return null;
  if (now - Date.parse(bt.finishedAt) > FORESIGHT_MAX_AGE_MS) return null;
  // The same draft as a person sees it: positions and defaults the editor fills in do not count.
  if (describeChanges(bt.document as WorkflowDocumentInput, draft as WorkflowDocumentInput).length > 0) return null;
  const days = Math.max(1 / 24, (Date.parse(bt.to) - Date.parse(bt.from)) / 86_400_000);
  const draftPerDay = bt.result.draft.actions / days;
  const livePerDay = bt.result.live ? bt.result.live.actions / days : null;
  const needsConfirmation =
    livePerDay !== null && draftPerDay > 0 && draftPerDay >= VOLUME_CONFIRM_FACTOR * Math.max(livePerDay, 1 / days);
  return { draftPerDay, livePerDay, needsConfirmation };
}

export const perDay = (n: number) => (n >= 10 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
