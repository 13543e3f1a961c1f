// Environment errors: the file system refused a write that Minima needed (a read-only folder, a
// file where a folder should be, a full disk). They are not bugs, so they become values that name
// the path and what to do; any other error stays a throw (a bug, caught once at the entry).

/** What Minima was doing when the file system refused. */
export type WriteAction = 'create the run folder' | 'write the model' | 'write the report' | 'write a file';

export interface EnvironmentError {
  readonly kind: 'environment';
  /** The errno code, e.g. 'EACCES'. */
  readonly code: string;
  /** The path the file system refused, absolute ('' when the system call named none, e.g. a write to an open file). */
  readonly path: string;
  readonly action: WriteAction;
  /** One line: what failed, where, why and what to do. */
  readonly message: string;
}

/** `e` as an environment error of `action`, or undefined when it is something else (a bug). */
export function environmentError(e: unknown, action: WriteAction, fallbackPath: string): EnvironmentError | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  const why = code === undefined ? undefined : REASONS[code];
  if (code === undefined || why === undefined) return undefined;
  const at = 'path' in e && typeof e.path === 'string' ? e.path : fallbackPath;
  return { kind: 'environment', code, path: at, action, message: `cannot ${action}: ${at ? `${at}: ` : ''}${why[0]} (${code}); ${why[1]}` };
}

export function isEnvironmentError(x: unknown): x is EnvironmentError {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'environment';
}

/** Per errno code: what it means for the path, and what the user can do about it. */
const REASONS: Readonly<Record<string, readonly [why: string, todo: string]>> = {
  EACCES: ['permission denied', 'make the folder writable or choose another one'],
  EPERM: ['operation not permitted', 'make the folder writable or choose another one'],
  EROFS: ['the file system is read-only', 'choose a folder on a writable disk'],
  ENOTDIR: ['a part of the path is a file, not a folder', 'remove or rename that file, or choose another folder'],
  EEXIST: ['a file is in the way where a folder should be', 'remove or rename that file, or choose another folder'],
  EISDIR: ['it is a folder, not a file', 'choose a file name'],
  ENOSPC: ['the disk is full', 'free some space or choose another disk'],
  EDQUOT: ['the disk quota is exhausted', 'free some space or choose another disk'],
  ENAMETOOLONG: ['the path is too long', 'choose a shorter path'],
  ELOOP: ['the path has a loop of symbolic links', 'fix the links or choose another folder'],
};
