// A progress line for long runs (documents for every customer): done/total, elapsed and an ETA from the pace so far,
// at most one line every `every` ms and always the last; to stderr through the caller's log.

export interface Progress {
  /** One more item done. */
  tick(): void;
}

/** "1 min 05 s", "42 s". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

export function progress(what: string, total: number, log: (message: string) => void, {every = 2000, now = () => performance.now()} = {}): Progress {
  const started = now();
  let done = 0;
  let last = started;
  return {
    tick() {
      done++;
      const t = now();
      if (done < total && t - last < every) return;
      last = t;
      const elapsed = t - started;
      const eta = done < total ? `, about ${duration((elapsed / done) * (total - done))} left` : "";
      log(`${what}: ${done}/${total} in ${duration(elapsed)}${eta}`);
    }
  };
}
