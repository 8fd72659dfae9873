// Errors about input data: each names where the problem is (table, file, column, row) so a user can go and look.

export interface Location {
  table?: string;
  file?: string;
  column?: string;
  /** 1-based row number within `file`, when known. */
  row?: number;
  /** The row's key, e.g. `id=cus_123`. */
  key?: string;
}

export class InputError extends Error {
  readonly location: Location;

  constructor(message: string, location: Location = {}) {
    super(`${message}${formatLocation(location)}`);
    this.name = "InputError";
    this.location = location;
  }
}

export function formatLocation({table, file, column, row, key}: Location): string {
  const parts = [
    table && `table ${table}`,
    column && `column ${column}`,
    file && `file ${file}`,
    row !== undefined && `row ${row}${key ? ` (${key})` : ""}`,
    row === undefined && key && `(${key})`
  ].filter(Boolean);
  return parts.length ? ` [${parts.join(", ")}]` : "";
}

export type Severity = "info" | "warning" | "error";

/**
 * What a check saw in the data, before it is described: made by staging (orphans), the cost models and the finding
 * checks of models/findings/. models/findings/findings.ts adds what its catalog declares (severity, column, meaning,
 * action) to make a Finding.
 */
export interface Observation {
  check: string;
  table: string;
  /** One line on what was found here: how many, how much. */
  message: string;
  /** How many rows (or items: invoices, balances, line-days) the finding concerns. */
  rows: number;
  /** The keys of up to 20 of them, e.g. `invoice_id=inv_1`. */
  examples: string[];
  /** Per example (same order), the customer it concerns, when one. */
  example_customers?: (string | null)[];
  /** Per example (same order), what is wrong with it, e.g. amounts. */
  example_details?: (string | null)[];
}

/**
 * A fact of the data worth knowing that does not make the snapshot unusable (docs/data-health.md): in the manifest,
 * the `findings` mart and a line of the snapshot log. `meterbook snapshot --strict` fails on error-level findings.
 */
export interface Finding extends Observation {
  severity: Severity;
  column: string | null;
  /** What it means for the figures. */
  meaning: string;
  /** What to do about it. */
  action: string;
}
