// A dispatch loop's alarm: it sleeps until a NOTIFY, a finished delivery or its poll rings it.

export interface Wake {
  /** Resolves on `ring` or after `ms`. */
  wait(ms: number): Promise<void>;
  ring(): void;
}

export function createWake(): Wake {
  let waiting: (() => void) | undefined;
  let rung = false;
  return {
    wait(ms) {
      if (rung) {
        rung = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          waiting = undefined;
          resolve();
        }
        waiting = done;
      });
    },
    ring() {
      if (waiting) waiting();
      // Rung while the loop was fetching: its next wait returns at once.
      else rung = true;
    },
  };
}
