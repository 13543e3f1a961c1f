// The server's own requests beyond LSP, shared with the client. Names and plain types only: the
// client bundle imports this file, so it must not pull in the language core.

export const CHECK_FILES_REQUEST = 'minima/checkFiles';

export interface CheckFilesParams {
  readonly uris: readonly string[];
}

export interface CheckedFile {
  readonly uri: string;
  readonly errors: number;
  readonly warnings: number;
  /** Set when the file could not be read; it then has no diagnostics. */
  readonly unreadable?: string;
}

export interface CheckFilesResult {
  readonly files: readonly CheckedFile[];
}
