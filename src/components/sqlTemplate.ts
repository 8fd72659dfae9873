// How a ```sql fence's tagged template becomes SQL text and bound parameters (pure; used by duckdb.ts).

/**
 * A ```sql fence's template as SQL text with `?` placeholders and the values to bind. Framework passes a fence's text
 * raw (so `'\d+'` stays as written) and turns each run of backticks in it — in a comment, say — into an
 * interpolation of that run (`${'`'}`), and a final backslash into `${'\\'}`; those are text, not parameters.
 */
export function sqlTemplate(strings: TemplateStringsArray | string[], values: unknown[]): [string, unknown[]] {
  const raw = (strings as TemplateStringsArray).raw ?? strings;
  let text = raw[0]!;
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (typeof value === "string" && /^(`+|\\)$/.test(value)) text += value;
    else {
      text += "?";
      params.push(value);
    }
    text += raw[i + 1]!;
  });
  return [text, params];
}

