import { DataError } from '../../core/errors';
import { readDataFile, readExactly, withDataFile } from '../../data/dataFile';
import { DATA_LIMITS } from '../../data/dataLimits';

/** Column holding the architecture of each row. */
export const ARCH_COLUMN = 'arch';

export interface CsvHeader {
  readonly columns: readonly string[];
  /** Columns whose first data row holds a number: the metrics a table offers. */
  readonly numericColumns: readonly string[];
}

/** The rows of a benchmark table, indexed by architecture key, with only the columns asked for. */
export interface CsvTable {
  readonly file: string;
  readonly columns: readonly string[];
  readonly rowCount: number;
  /** Row index of an architecture key, if the table has it. */
  rowOf(key: string): number | undefined;
  /** Value of one of `columns` in a row; NaN for an empty cell. */
  value(column: string, row: number): number;
}

const HEADER_PROBE_BYTES = 64 * 1024;

/** A benchmark table is read as a dataset file is: a regular file within the data limits. */
const TABLE_FILE = { what: 'benchmark table (CSV)', maxBytes: DATA_LIMITS.maxBytes };

/** Splits one CSV record; handles double-quoted fields with embedded commas and `""` escapes. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function parseCell(text: string): number {
  return text.trim() === '' ? NaN : Number(text);
}

function headerOf(file: string, lines: readonly string[]): CsvHeader {
  if (lines.length === 0 || lines[0].trim() === '') throw new DataError('the benchmark table is empty', file);
  const columns = splitCsvLine(lines[0]).map((c) => c.trim());
  const firstRow = lines.length > 1 ? splitCsvLine(lines[1]) : [];
  const numericColumns = columns.filter((_, i) => i < firstRow.length && Number.isFinite(parseCell(firstRow[i])));
  return { columns, numericColumns };
}

function splitLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

/** Reads only the header and the first data row (synchronously, for spec validation). */
export function readCsvHeader(file: string): CsvHeader {
  // Regular files only (a named pipe would block validation, a device never end), within the data limit.
  const { text, wholeFile } = withDataFile(file, TABLE_FILE, (fd, size) => {
    const bytes = readExactly(fd, 0, Math.min(HEADER_PROBE_BYTES, size), file);
    return { text: bytes.toString('utf8'), wholeFile: size <= HEADER_PROBE_BYTES };
  });
  const lines = splitLines(text);
  // When the probe stops inside the file, its last line may be cut short.
  const complete = wholeFile ? lines : lines.slice(0, -1);
  return headerOf(file, complete.slice(0, 2));
}

/** `file: no column "x"; the table's metric columns are: a, b, c`. */
export function missingColumnError(file: string, column: string, header: CsvHeader): DataError {
  return new DataError(`no column "${column}"; the table's metric columns are: ${header.numericColumns.join(', ')}`, file);
}

/**
 * Loads a benchmark table once, keeping only `columns`. `keyOf` turns the `arch` cell into
 * the search space's key (and throws on an architecture the space does not know).
 */
export async function loadCsvTable(
  file: string,
  columns: readonly string[],
  keyOf: (arch: string) => string,
): Promise<CsvTable> {
  const lines = splitLines(readDataFile(file, TABLE_FILE).toString('utf8'));
  const header = headerOf(file, lines);
  const archIndex = header.columns.indexOf(ARCH_COLUMN);
  if (archIndex < 0) throw new DataError(`no "${ARCH_COLUMN}" column; the header is: ${header.columns.join(', ')}`, file);
  const columnIndices = columns.map((column) => {
    const index = header.columns.indexOf(column);
    if (index < 0) throw missingColumnError(file, column, header);
    return index;
  });

  const rowCount = lines.length - 1;
  const values = columns.map(() => new Float64Array(rowCount));
  const rows = new Map<string, number>();
  for (let row = 0; row < rowCount; row++) {
    const lineNumber = row + 2;
    const fields = splitCsvLine(lines[row + 1]);
    if (fields.length !== header.columns.length) {
      throw new DataError(`line ${lineNumber} has ${fields.length} fields, the header has ${header.columns.length}`, file);
    }
    let key: string;
    try {
      key = keyOf(fields[archIndex].trim());
    } catch (error) {
      throw new DataError(`line ${lineNumber}: ${error instanceof Error ? error.message : String(error)}`, file);
    }
    if (rows.has(key)) throw new DataError(`line ${lineNumber}: architecture ${key} appears twice`, file);
    rows.set(key, row);
    columnIndices.forEach((index, c) => {
      const v = parseCell(fields[index]);
      if (Number.isNaN(v) && fields[index].trim() !== '') {
        throw new DataError(`line ${lineNumber}: column "${columns[c]}" holds "${fields[index]}", not a number`, file);
      }
      values[c][row] = v;
    });
  }

  const columnOf = new Map(columns.map((column, c) => [column, values[c]]));
  return {
    file,
    columns,
    rowCount,
    rowOf: (key) => rows.get(key),
    value: (column, row) => {
      const data = columnOf.get(column);
      if (!data) throw new RangeError(`column "${column}" was not loaded`);
      return data[row];
    },
  };
}
