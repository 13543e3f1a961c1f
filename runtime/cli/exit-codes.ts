// The exit codes of `minima`, listed in the README's command-line section. 73 and 70 follow BSD's
// sysexits.h (EX_CANTCREAT: an output file cannot be created; EX_SOFTWARE: an internal error).

export const EXIT = {
  ok: 0,
  /** The recipe has errors, or the run failed (diverged, a data or model file is unreadable). */
  failed: 1,
  /** Bad usage: an unknown option, a missing value, a path outside the allowed folders, an unreadable recipe. */
  usage: 2,
  /** A bug in Minima, caught once in `main`. */
  internal: 70,
  /** The file system refused a write: a read-only folder, a file where a folder should be, a full disk. */
  cannotWrite: 73,
  /** Stopped with Ctrl-C (128 + SIGINT). */
  stopped: 130,
  /** Stopped by SIGTERM (128 + SIGTERM), within one step, the run kept as cancelled. */
  terminated: 143,
} as const;
