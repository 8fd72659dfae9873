// Prepare items one at a time, in order, while the jobs prepared before them run: the documents' loop (drawn in Node,
// printed in Chromium). At most `ahead` jobs are in flight; a failed job stops the loop before the next item is
// prepared, so a run of a thousand documents stops within a few of its first failure rather than at the end.

/**
 * `prepare(item)` for each item in order; each returns the job to run for it (or null for none). Resolves once every
 * job has finished; rejects with the first failure (of a job or of `prepare`), after the jobs already started settle.
 */
export async function runAhead<T>(items: Iterable<T>, ahead: number, prepare: (item: T) => Promise<(() => Promise<void>) | null>): Promise<void> {
  if (!(ahead >= 1)) throw new RangeError(`ahead must be at least 1, not ${ahead}`);
  const running = new Set<Promise<void>>();
  let failure: {error: unknown} | null = null;
  try {
    for (const item of items) {
      while (running.size >= ahead && !failure) await Promise.race(running);
      if (failure) break;
      const job = await prepare(item);
      if (!job) continue;
      const started = job().catch((error) => void (failure ??= {error}));
      running.add(started);
      void started.finally(() => running.delete(started));
    }
  } catch (error) {
    failure ??= {error};
  }
  await Promise.all(running);
  if (failure) throw failure.error;
}
