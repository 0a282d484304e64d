/**
 * A first-in first-out async mutex.
 *
 * @example
 * const m = new Mutex();
 * await m.run(async () => { ... }); // one at a time
 */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #held = 0;

  /** True while some caller holds or waits for the mutex. */
  get busy(): boolean {
    return this.#held > 0;
  }

  /** Runs `fn` once every earlier caller has finished; releases on every path. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    this.#held++;
    try {
      await previous;
      return await fn();
    } finally {
      this.#held--;
      release();
    }
  }

  /**
   * Like {@link run}, but gives up with `onTimeout()`'s error when the mutex is not free
   * within `timeoutMs`.
   */
  async runWithin<T>(timeoutMs: number, onTimeout: () => Error, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    this.#held++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      if ((await Promise.race([previous.then(() => "ok" as const), timedOut])) === "timeout") {
        // Keep the queue intact: whoever comes after us waits for `previous`, not for us.
        previous.then(release, release);
        throw onTimeout();
      }
      clearTimeout(timer);
      try {
        return await fn();
      } finally {
        release();
      }
    } finally {
      clearTimeout(timer);
      this.#held--;
    }
  }
}
