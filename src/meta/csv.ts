import { UserError } from '../core/errors.js';

export interface CsvOptions {
  /** Everything from this character (outside quotes) to the end of the line is dropped. */
  comment?: string;
  /**
   * csv-parse's `relax_quotes`: a quote inside an unquoted field is a literal character, and a
   * closing quote followed by something else than a delimiter re-opens the field as plain text
   * (quotes kept). Without it both are errors.
   */
  relaxQuotes?: boolean;
}

const RECORD_DELIMITERS = ['\r\n', '\n', '\r'];

function csvError(message: string): never {
  throw new UserError(`invalid CSV: ${message}`);
}

/**
 * The CSV reading docker/metadata-action applies to its inputs: csv-parse with
 * `relax_column_count` and `skip_empty_lines`, plus `relax_quotes` and `comment: '#'` for the list
 * inputs. Written here rather than pulled in as a dependency; it follows csv-parse's state machine
 * (checked against it by fuzzing):
 *
 * - A field is quoted only when `"` is its first character; `""` inside quotes is one `"`.
 * - The record delimiter is the first of `\r\n`, `\n`, `\r` met outside quotes; only that one counts
 *   afterwards.
 * - With a comment character, everything from it (outside quotes) to the end of the line is dropped,
 *   also in the middle of a line (csv-parse without `comment_no_infix`).
 * - Empty lines are skipped; a quoted field may span lines. An unclosed quote is an error.
 */
export function parseCsv(text: string, opts: CsvOptions = {}): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoting = false;
  let wasQuoting = false;
  let commenting = false;
  let escaping = false;
  let delimiter = ''; // the record delimiter, once discovered

  const discover = (at: number) => RECORD_DELIMITERS.find((d) => text.startsWith(d, at)) ?? '';
  const recordDelimiterAt = (at: number) =>
    delimiter && text.startsWith(delimiter, at) ? delimiter.length : 0;
  const endField = () => {
    record.push(field);
    field = '';
    wasQuoting = false;
  };

  for (let pos = 0; pos < text.length; pos++) {
    if (!quoting && !delimiter) delimiter = discover(pos);
    const chr = text[pos];
    if (escaping) {
      escaping = false;
    } else {
      if (quoting && chr === '"' && pos + 1 < text.length && text[pos + 1] === '"') {
        escaping = true;
        continue;
      }
      if (!commenting && chr === '"') {
        if (quoting) {
          const next = text[pos + 1];
          let nextIsRecordDelimiter: boolean;
          if (delimiter) nextIsRecordDelimiter = recordDelimiterAt(pos + 1) > 0;
          else {
            // csv-parse discovers the record delimiter here too, as a side effect.
            delimiter = discover(pos + 1);
            nextIsRecordDelimiter = delimiter !== '';
          }
          if (next === undefined || next === ',' || nextIsRecordDelimiter || next === opts.comment) {
            quoting = false;
            wasQuoting = true;
            continue;
          }
          if (!opts.relaxQuotes) csvError(`got "${next}" after a closing quote instead of a delimiter`);
          quoting = false;
          wasQuoting = true;
          field = `"${field}`;
          // falls through: the quote itself is kept as a plain character
        } else if (field.length === 0) {
          quoting = true;
          continue;
        } else if (!opts.relaxQuotes) {
          csvError(`a quote in the middle of the unquoted field "${field}"`);
        }
      }
      if (!quoting) {
        const rd = recordDelimiterAt(pos);
        if (rd) {
          const commentLine = commenting && !wasQuoting && record.length === 0 && field.length === 0;
          const emptyLine = !wasQuoting && record.length === 0 && field.length === 0;
          if (!commentLine && !emptyLine) {
            endField();
            records.push(record);
            record = [];
          }
          commenting = false;
          pos += rd - 1;
          continue;
        }
        if (commenting) continue;
        if (opts.comment && chr === opts.comment) {
          commenting = true;
          continue;
        }
        if (chr === ',') {
          endField();
          continue;
        }
      }
    }
    field += chr;
  }
  if (quoting) csvError('a quoted field is not closed');
  if (wasQuoting || record.length > 0 || field.length > 0) {
    endField();
    records.push(record);
  }
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
    parseCsv(text, { comment: '#', relaxQuotes: true })
      .map((record) => (record.length === 1 ? record[0] : record.join(',')))
      .map((item) => item.trim())
      // metadata-action keeps a whitespace-only line as an empty rule and then fails on it with a
      // TypeError; a blank line in a YAML block is not meant as a rule, so it is dropped here.
      .filter((item) => item)
  );
}

/**
 * The fields of one rule line (`type=semver,pattern={{version}}`), as the rule parsers see them:
 * csv-parse without `relax_quotes`, so a stray quote is an error there too.
 */
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
