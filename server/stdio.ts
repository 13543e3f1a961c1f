// The connection over stdio, as editors other than VS Code start the server (`minima lsp --stdio`;
// VS Code uses Node IPC, which has no framing to get wrong). Messages are read with framing.ts, so
// a malformed frame is logged to stderr (the client's log) and the server answers the client's
// next message instead of going silent. Otherwise it behaves as vscode-languageserver's own stdio
// transport: stdout carries only the protocol, and when stdin ends the server exits, with 0 after a
// `shutdown` request and 1 without one (the client restarts it then).

import { Console } from 'node:console';
import {
  AbstractMessageReader,
  createConnection,
  ProposedFeatures,
  StreamMessageWriter,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
} from 'vscode-languageserver/node';
import { createFrameParser, excerpt, type FrameEvent, type FrameParser } from './framing';

/** A body still incomplete after this long without bytes is checked for a Content-Length that was too large. */
const STALL_MS = 500;

export function createStdioConnection(log: (line: string) => void) {
  // NOTE: anything written to stdout would corrupt the protocol; console output goes to stderr.
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  const reader = new FramedMessageReader(process.stdin, log);
  const connection = createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout));
  const exit = () => process.exit(reader.shutdownSeen ? 0 : 1);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
  return connection;
}

/** vscode-jsonrpc's MessageReader over a byte stream, framed by framing.ts. */
export class FramedMessageReader extends AbstractMessageReader implements MessageReader {
  /** Whether a `shutdown` request came (the exit code depends on it). */
  shutdownSeen = false;
  private readonly parser: FrameParser = createFrameParser();
  private stallTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly readable: NodeJS.ReadableStream,
    private readonly log: (line: string) => void,
    private readonly stallMs: number = STALL_MS,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer | string) => {
      clearTimeout(this.stallTimer);
      this.handle(this.parser.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk), callback);
      if (this.parser.waiting()) this.stallTimer = setTimeout(() => this.handle(this.parser.stalled(), callback), this.stallMs);
    };
    const onError = (e: Error) => this.fireError(e);
    const onClose = () => {
      clearTimeout(this.stallTimer);
      this.fireClose();
    };
    this.readable.on('data', onData);
    this.readable.on('error', onError);
    this.readable.on('end', onClose);
    return {
      dispose: () => {
        clearTimeout(this.stallTimer);
        this.readable.off('data', onData);
        this.readable.off('error', onError);
        this.readable.off('end', onClose);
      },
    };
  }

  private handle(events: readonly FrameEvent[], callback: DataCallback): void {
    for (const e of events) {
      if (e.kind === 'malformed') this.log(`malformed message framing: ${e.reason}; skipping to the next header`);
      else if (e.kind === 'resynced') this.log(`found the next header after skipping ${e.skipped} byte(s); reading on`);
      else {
        const message = decode(e.body);
        if (typeof message === 'string') {
          this.log(`discarded a message: ${message}`);
          continue;
        }
        if ((message as { method?: unknown }).method === 'shutdown') this.shutdownSeen = true;
        callback(message);
      }
    }
  }
}

/** The message in a body, or why there is none. */
function decode(body: Buffer): Message | string {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (e) {
    return `its body of ${body.length} byte(s) is not JSON (${e instanceof Error ? e.message : String(e)}): '${excerpt(body)}'`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `its body is not a JSON object: '${excerpt(body)}'`;
  return value as Message;
}
