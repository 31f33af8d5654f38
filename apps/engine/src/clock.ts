/** The engine's one clock (ms since the epoch), injected everywhere a decision reads the time. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
