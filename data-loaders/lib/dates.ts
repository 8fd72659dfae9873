// Calendar arithmetic on UTC "day numbers" (days since 1970-01-01), for the Node side: the export layout (partition
// days, transfer stamps), the API pull and the sample generator all work in whole days, because every Metronome period
// (breakdown windows, invoice months, commit segments) starts and ends at 00:00 UTC.

export const DAY_MS = 86_400_000;

/** "YYYY-MM-DD" → day number. Throws on anything else so a bad CLI date fails loudly instead of drifting. */
export function dayNumber(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`expected a YYYY-MM-DD date, got ${JSON.stringify(iso)}`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (isoDay(ms / DAY_MS) !== iso) throw new Error(`not a calendar date: ${iso}`);
  return ms / DAY_MS;
}

/** Day number → "YYYY-MM-DD". */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Milliseconds since the epoch → "YYYY-MM-DDTHH:MM:SS.000Z" (the shape Metronome's JSON uses). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Day number → ISO timestamp at 00:00 UTC. */
export function isoMidnight(day: number): string {
  return isoTime(day * DAY_MS);
}

/** Transfer stamp used in export file names: YYYYMMDDhhmmss. */
export function transferStamp(ms: number): string {
  return isoTime(ms).replace(/[-:T]/g, "").slice(0, 14);
}

/** First day of the month containing `day`. */
export function monthStart(day: number): number {
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
}

/** The first day of the month `months` after the month containing `day` (negative goes back). */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1) / DAY_MS;
}
