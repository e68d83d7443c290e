/**
 * Runs at most `concurrency` of the given tasks at a time, in the order they
 * were submitted (a tiny `p-limit`). Used by the readiness backend's
 * evaluation cycle and by collectors that bound their load on a source.
 *
 * @public
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Creates a {@link Limiter}; `concurrency` is at least 1.
 *
 * @public
 */
export function createLimiter(concurrency: number): Limiter {
  const limit = Math.max(1, Math.floor(concurrency) || 1);
  const queue: Array<() => void> = [];
  let active = 0;

  const next = () => {
    if (active < limit) {
      queue.shift()?.();
    }
  };

  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        active += 1;
        // A task that throws synchronously rejects like an async one.
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => {
            active -= 1;
            next();
          });
      });
      next();
    });
}
