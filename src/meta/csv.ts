/**
 * The CSV reading docker/metadata-action applies to its inputs (csv-parse with `relaxQuotes`,
 * `relaxColumnCount`, `skipEmptyLines` and, for list inputs, `comment: '#'`). Written here rather
 * than pulled in as a dependency: the subset is small, and the quirks below are what users rely on.
 *
 * - A field is quoted only when `"` is its first character; `""` inside quotes is one `"`.
 *   A quote anywhere else is kept as a literal character (relaxQuotes).
 * - With a comment character, everything from it (outside quotes) to the end of the line is dropped,
 *   also in the middle of a line, as csv-parse does without `comment_no_infix`.
 * - Empty lines are skipped; a quoted field may span lines.
 */
export function parseCsv(text: string, comment?: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field started with a quote
  let commenting = false;

  const endField = () => {
    record.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    // skipEmptyLines: a record made of one empty, unquoted field is not a record.
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (commenting) {
      if (ch === '\n') {
        commenting = false;
        endRecord();
      }
      continue;
    }
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
    } else if (ch === ',') {
      endField();
    } else if (ch === '\n') {
      endRecord();
    } else if (ch === '\r' && text[i + 1] === '\n') {
      continue;
    } else if (comment && ch === comment) {
      commenting = true;
    } else {
      field += ch;
    }
  }
  if (field !== '' || record.length > 0 || wasQuoted) endRecord();
  return records;
}

/**
 * A list input as metadata-action reads it (actions-toolkit `Util.getList` with `ignoreComma` and
 * `comment: '#'`): one item per CSV record, the record's fields joined back with commas (so quotes
 * are removed), items trimmed, empty and blank ones dropped.
 */
export function listInput(text: string): string[] {
  if (text === '') return [];
  return (
    parseCsv(text, '#')
      .map((record) => (record.length === 1 ? record[0] : record.join(',')))
      .map((item) => item.trim())
      // Whitespace-only lines (trailing spaces in a YAML block) are empty lines, not empty rules.
      .filter((item) => item)
  );
}

/** The fields of one rule line (`type=semver,pattern={{version}}`), as the rule parsers see them. */
export function csvFields(line: string): string[] {
  return parseCsv(line)[0] ?? [];
}

/** Splits `key=value` on the first `=` and trims both; a field without `=` gives `[field]`. */
export function splitField(field: string): [string] | [string, string] {
  const eq = field.indexOf('=');
  // The key must not be empty: metadata-action's split needs at least one character before `=`.
  if (eq <= 0) return [field.trim()];
  return [field.slice(0, eq).trim(), field.slice(eq + 1).trim()];
}
