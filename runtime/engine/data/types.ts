// The values the data pipeline produces: a dataset held in memory, and the error value returned
// instead of throwing when a recipe's data cannot be read.

/** Examples in memory, one row per example, features in row-major order. */
export interface Dataset {
  /** The source's name (`digits`, `moons`, `csv`, …). */
  readonly name: string;
  readonly task: 'classification' | 'regression';
  /** Shape of one example: `[64]`-like for tables, `[1, height, width]` for images. */
  readonly inputShape: readonly number[];
  /** Number of classes (classification only). */
  readonly classes?: number;
  /** Number of regression outputs (regression only). */
  readonly targets?: number;
  /**
   * The name of each class, index = class (classification sources that map raw labels, e.g. csv:
   * `classNames[2]` is the label text that became class 2).
   */
  readonly classNames?: readonly string[];
  /** count × prod(inputShape) features. */
  readonly x: Float32Array;
  /** count class indices (as floats) for classification, count × targets values for regression. */
  readonly y: Float32Array;
  readonly count: number;
}

/** A user-caused problem with the data (missing file, malformed row); never thrown. */
export interface DataError {
  readonly kind: 'data-error';
  readonly message: string;
  /** The file concerned, when there is one. */
  readonly path?: string;
  /** 1-based line of the file, when the problem is on one line. */
  readonly line?: number;
}

export function dataError(message: string, path?: string, line?: number): DataError {
  return { kind: 'data-error', message, ...(path === undefined ? {} : { path }), ...(line === undefined ? {} : { line }) };
}

export function isDataError<T extends object>(v: T | DataError): v is DataError {
  return 'kind' in v && v.kind === 'data-error';
}

/**
 * The error as one line for the user: its message, led by `path:line:` when the message does
 * not already name the file (most do, with the line where there is one).
 */
export function describeDataError(e: DataError): string {
  if (e.path === undefined || e.message.includes(e.path)) return e.message;
  return `${e.path}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`;
}

/** Number of features of one example. */
export function featureSize(ds: Pick<Dataset, 'inputShape'>): number {
  return ds.inputShape.reduce((a, b) => a * b, 1);
}

/** Number of values in y per example: 1 for classification, `targets` for regression. */
export function targetSize(ds: Pick<Dataset, 'task' | 'targets'>): number {
  return ds.task === 'regression' ? (ds.targets ?? 1) : 1;
}
