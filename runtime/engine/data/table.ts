// Splitting delimited text (CSV, TSV) into rows of fields, keeping each row's line number.
//
// Supported: a delimiter of one character, `\n` or `\r\n` line ends, a leading byte-order mark,
// blank lines (skipped), and fields in double quotes with `""` for a quote inside them. Not
// supported: a quoted field spanning several lines (reported as an unterminated quote).

import { dataError, type DataError } from './types';

export interface Row {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly fields: readonly string[];
}

export function splitRows(text: string, delimiter: string, file: string): Row[] | DataError {
  const rows: Row[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line.trim() === '') continue;
    const fields = splitLine(line, delimiter);
    if (fields === undefined) return dataError(`${file}:${i + 1}: unterminated quoted field`, file, i + 1);
    rows.push({ line: i + 1, fields });
  }
  return rows;
}

/** A field as a finite number, or undefined ('' , 'abc', 'NaN', 'Infinity' are not numbers here). */
export function parseNumber(field: string): number | undefined {
  const s = field.trim();
  if (s === '') return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

function splitLine(line: string, delimiter: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        const c = line[i];
        if (c === '"' && line[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          field += c;
          i++;
        }
      }
      // Text between the closing quote and the delimiter is kept, as most spreadsheet programs do.
      while (i < line.length && line[i] !== delimiter) field += line[i++];
    } else {
      while (i < line.length && line[i] !== delimiter) field += line[i++];
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the delimiter
  }
}
