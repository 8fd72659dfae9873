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

/** A problem worth reporting that does not make the snapshot unusable (kept in the manifest, printed as a warning). */
export interface Finding {
  check: string;
  table: string;
  message: string;
  rows: number;
  examples: string[];
}
