// The base protocol's framing over a byte stream (stdio): `Content-Length: N\r\n\r\n` and N bytes
// of JSON, and what to do when a client gets it wrong. vscode-jsonrpc's stream reader reports a
// header without Content-Length, or with `Content-Length: abc`, as an error that nobody listens
// to, keeps the bytes after the bad header, and from then on reads every message a step out of
// line: the server stayed up and never answered again. Here a malformed frame is reported (the
// server logs it) and the parser looks for the next header: a line `Content-Length: <digits>`
// followed by CRLF. That is safe because no valid JSON body can hold one (a raw CR is not allowed
// in a JSON string, and the letters are not allowed outside one), so a valid message is never
// mistaken for a header, and a body that does hold one swallowed the next message (its
// Content-Length was too large) and is cut there. The message lost to the bad frame cannot be
// answered (its id is unknown); the client's next ones are.
// Knows bytes and the base protocol's headers; nothing about LSP methods, so it is tested on its own.

/** What the parser made of the bytes so far, in order. */
export type FrameEvent =
  | { readonly kind: 'message'; readonly body: Buffer }
  /** A frame that cannot be read; what follows it is skipped up to the next header. */
  | { readonly kind: 'malformed'; readonly reason: string }
  /** The next header after a malformed frame, found after skipping `skipped` bytes. */
  | { readonly kind: 'resynced'; readonly skipped: number };

export interface FrameLimits {
  /** A header longer than this without its blank line is malformed. */
  readonly maxHeaderBytes: number;
  /** A Content-Length above this is malformed (the body would be buffered whole). */
  readonly maxBodyBytes: number;
}

export const DEFAULT_FRAME_LIMITS: FrameLimits = { maxHeaderBytes: 8 * 1024, maxBodyBytes: 256 * 1024 * 1024 };

export interface FrameParser {
  push(chunk: Buffer): FrameEvent[];
  /**
   * Called when no bytes came for a while and a body is still incomplete: when the bytes of that
   * body hold the next header, its Content-Length was too large (the sender is waiting for an
   * answer that would never come), so it is malformed and reading goes on from that header.
   */
  stalled(): FrameEvent[];
  /** True while a body is incomplete (the caller arms its stall timer then). */
  waiting(): boolean;
}

const SEPARATOR = Buffer.from('\r\n\r\n', 'latin1');
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;
/** A header line the next frame starts with (or holds), as resynchronization looks for it. */
const NEXT_HEADER = /content-length:[ \t]*\d+\r\n/i;

export function createFrameParser(limits: FrameLimits = DEFAULT_FRAME_LIMITS): FrameParser {
  let buffer: Buffer = Buffer.alloc(0);
  /** The body length once a header has been read. */
  let bodyLength: number | undefined;
  /** Skipping to the next header, and how many bytes have been skipped so far. */
  let skipping: { skipped: number } | undefined;

  /**
   * Drops bytes up to the next header at or after `from`, outside `avoid` (the rest of a malformed
   * header block: a valid-looking line in it belongs to the bad frame); true when one was found.
   */
  const resync = (from: number, out: FrameEvent[], avoid?: { from: number; to: number }): boolean => {
    let at = findHeader(buffer, from);
    if (at !== undefined && avoid && at >= avoid.from && at < avoid.to) at = findHeader(buffer, avoid.to);
    const keep = at ?? Math.max(from, buffer.length - 64); // a header may be split across chunks
    skipping = { skipped: (skipping?.skipped ?? 0) + keep };
    buffer = buffer.subarray(keep);
    if (at === undefined) return false;
    out.push({ kind: 'resynced', skipped: skipping.skipped });
    skipping = undefined;
    return true;
  };
  const malformed = (reason: string, from: number, out: FrameEvent[], avoid?: { from: number; to: number }): boolean => {
    out.push({ kind: 'malformed', reason });
    bodyLength = undefined;
    return resync(from, out, avoid);
  };

  /** Reads as many frames as the buffer holds; false when it needs more bytes. */
  const step = (out: FrameEvent[]): boolean => {
    if (skipping) return resync(0, out);
    if (bodyLength === undefined) {
      const end = buffer.indexOf(SEPARATOR);
      if (end < 0) {
        if (buffer.length <= limits.maxHeaderBytes) return false;
        return malformed(`no end of header (a blank line) within ${limits.maxHeaderBytes} bytes: '${excerpt(buffer)}'`, 1, out);
      }
      const text = buffer.subarray(0, end).toString('latin1');
      const header = parseHeader(text, limits);
      // NOTE: the search starts inside the first line: a header with junk glued before it is found.
      const firstLine = text.indexOf('\r\n');
      if (typeof header === 'string') return malformed(header, 1, out, { from: firstLine < 0 ? end : firstLine, to: end + SEPARATOR.length });
      buffer = buffer.subarray(end + SEPARATOR.length);
      bodyLength = header;
    }
    if (buffer.length < bodyLength) return false;
    const body = buffer.subarray(0, bodyLength);
    const next = findHeader(body, 0);
    if (next !== undefined) {
      // The body holds the next frame's header: this Content-Length ran into the next message.
      return malformed(`the body of ${bodyLength} bytes holds the next message's header at byte ${next} (its Content-Length is too large)`, next, out);
    }
    buffer = buffer.subarray(bodyLength);
    bodyLength = undefined;
    out.push({ kind: 'message', body: Buffer.from(body) });
    return true;
  };

  return {
    push(chunk) {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      const out: FrameEvent[] = [];
      while (buffer.length > 0 && step(out));
      return out;
    },
    stalled() {
      const out: FrameEvent[] = [];
      if (bodyLength === undefined) return out;
      const next = findHeader(buffer, 0);
      if (next === undefined) return out;
      malformed(`no more bytes came for a body of ${bodyLength} bytes (${buffer.length} came), and they hold the next message's header at byte ${next} (its Content-Length is too large)`, next, out);
      while (buffer.length > 0 && step(out));
      return out;
    },
    waiting: () => bodyLength !== undefined,
  };
}

/** The body length of a header block, or why it is malformed. */
function parseHeader(text: string, limits: FrameLimits): number | string {
  let length: string | undefined;
  for (const line of text.split('\r\n')) {
    const m = HEADER_LINE.exec(line);
    if (!m) return `the header line '${excerpt(line)}' is not 'Name: value'`;
    if (m[1]!.toLowerCase() !== 'content-length') continue;
    if (length !== undefined && length !== m[2]) return `two Content-Length headers (${length} and ${m[2]})`;
    length = m[2]!;
  }
  if (length === undefined) return `the header has no Content-Length: '${excerpt(text)}'`;
  if (!/^\d+$/.test(length)) return `Content-Length '${excerpt(length)}' is not a number of bytes`;
  const n = Number(length);
  if (n > limits.maxBodyBytes) return `Content-Length ${length} is over the limit of ${limits.maxBodyBytes} bytes`;
  return n;
}

/** Where the next header line starts in `bytes`, at or after `from`. */
function findHeader(bytes: Buffer, from: number): number | undefined {
  // Fast path for every body: a header line ends with CR, which compact JSON never holds.
  if (from >= bytes.length || bytes.indexOf(0x0d, from) < 0) return undefined;
  // NOTE: latin1 maps each byte to one character, so string offsets are byte offsets.
  const m = NEXT_HEADER.exec(bytes.subarray(from).toString('latin1'));
  return m ? from + m.index : undefined;
}

/** At most 60 characters of what was read, with line breaks visible, for the log. */
export function excerpt(text: string | Buffer): string {
  const s = typeof text === 'string' ? text : text.subarray(0, 80).toString('latin1');
  const shown = s.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return shown.length > 60 ? `${shown.slice(0, 59)}…` : shown;
}
