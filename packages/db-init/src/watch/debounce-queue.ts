/** A queue that collects changed files and runs one batch at a time, `delayMs` after the last change. */
export interface DebounceQueue {
  /** Adds a changed file; the batch runs `delayMs` after the last one added. */
  add(file: string): void;
  /** Resolves when nothing is waiting and no batch is running. */
  idle(): Promise<void>;
  /** Stops; resolves once a running batch has finished. */
  close(): Promise<void>;
}

/**
 * Debounces and serialises: files added while a batch runs are coalesced into the next one,
 * and a batch never overlaps another. `run` must not throw (the watcher reports its own errors);
 * if it does, `onCrash` gets the error and the queue goes on.
 *
 * @example
 * const queue = debounceQueue({ delayMs: 150, run: async (files) => reload(files), onCrash: report });
 * queue.add("/repo/packages/x/src/schema.ts");
 */
export function debounceQueue(options: {
  readonly delayMs: number;
  readonly run: (files: readonly string[]) => Promise<void>;
  readonly onCrash: (error: unknown) => void;
}): DebounceQueue {
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  const drain = () => {
    if (running || timer || closed || pending.size === 0) return;
    running = (async () => {
      while (pending.size > 0 && !timer && !closed) {
        const files = [...pending].sort();
        pending.clear();
        try {
          await options.run(files);
        } catch (error) {
          options.onCrash(error);
        }
      }
    })().finally(() => {
      running = undefined;
      drain();
    });
  };

  return {
    add(file) {
      if (closed) return;
      pending.add(file);
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        drain();
      }, options.delayMs);
    },
    async idle() {
      while (!closed && (timer || running || pending.size > 0)) {
        await (running ?? new Promise((r) => setTimeout(r, options.delayMs)));
      }
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
