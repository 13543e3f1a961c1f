// The language server's wiring: the connection, the open documents, one analysis per document
// version, and a handler per LSP request that calls the matching pure function in `features/`.
// Every handler is guarded: a bug in a feature is logged and answered with an empty result, never
// a crashed server. Run as `node server/main.js --stdio` (or `--node-ipc`, as VS Code starts it);
// over stdio, malformed message framing is logged and skipped (stdio.ts, framing.ts).

import {
  createConnection,
  ErrorCodes,
  InlayHintKind,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from '../runtime/analysis';
import { CATALOG } from '../runtime/catalog';
import { CHECK_FILES_REQUEST, checkFiles, type CheckFilesParams, type CheckFilesResult } from './check-files';
import * as features from './features';
import { modelResolverFor } from './model-files';
import { createStdioConnection } from './stdio';

/** Diagnostics wait this long after the last change, so fast typing analyzes once per pause. */
const DIAGNOSTICS_DELAY_MS = 150;

export function startServer(argv: readonly string[] = process.argv.slice(2)): void {
  const connection = argv.includes('--stdio') ? createStdioConnection((line) => process.stderr.write(`[minima-language-server] ${line}\n`)) : createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const state = new ServerState(connection, documents);
  state.register();
  documents.listen(connection);
  connection.listen();
}

interface Settings {
  readonly inlayHintDefaults: boolean;
}

class ServerState {
  /** One analysis per open document, for the version it was computed on. */
  private readonly cache = new Map<string, { readonly version: number; readonly analysis: Analysis }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The version whose diagnostics were last sent, so an open (which also reports a change) publishes once. */
  private readonly published = new Map<string, number>();
  private settings: Settings = { inlayHintDefaults: true };
  /** Imported models' files (`model onnx("…")`), read once per file version for the checker. */
  private readonly models = modelResolverFor();
  private canReadConfiguration = false;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
  ) {}

  register(): void {
    const { connection, documents } = this;
    connection.onInitialize((params): InitializeResult => {
      this.canReadConfiguration = params.capabilities.workspace?.configuration === true;
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
          completionProvider: { triggerCharacters: ['=', ':', '(', ',', '[', ' '] },
          hoverProvider: true,
          signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [':'] },
          documentSymbolProvider: true,
          semanticTokensProvider: { legend: features.SEMANTIC_TOKENS_LEGEND, full: true },
          foldingRangeProvider: true,
          documentFormattingProvider: true,
          codeActionProvider: { codeActionKinds: [...features.CODE_ACTION_KINDS] },
          inlayHintProvider: true,
          definitionProvider: true,
          referencesProvider: true,
          renameProvider: { prepareProvider: true },
        },
        serverInfo: { name: 'minima-language-server', version: '0.1.0' },
      };
    });
    connection.onInitialized(() => void this.refreshSettings());
    connection.onDidChangeConfiguration(() => void this.refreshSettings());

    documents.onDidOpen((e) => this.publish(e.document.uri, e.document.version));
    documents.onDidChangeContent((e) => this.schedule(e.document.uri, e.document.version));
    documents.onDidClose((e) => {
      const uri = e.document.uri;
      clearTimeout(this.timers.get(uri));
      this.timers.delete(uri);
      this.cache.delete(uri);
      this.published.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    });

    connection.onRequest(CHECK_FILES_REQUEST, (params: CheckFilesParams): CheckFilesResult => {
      try {
        return checkFiles(params, {
          openAnalysis: (uri) => this.analysisFor(uri),
          resolveModel: (uri) => this.models(uri),
          publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
        });
      } catch (e) {
        this.connection.console.error(`checkFiles failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return { files: [] };
      }
    });
    connection.onCompletion(this.guard('completion', [], (a, p) => features.completion(a, p.position)));
    connection.onHover(this.guard('hover', null, (a, p) => features.hover(a, p.position) ?? null));
    connection.onSignatureHelp(this.guard('signatureHelp', null, (a, p) => features.signatureHelp(a, p.position) ?? null));
    connection.onDocumentSymbol(this.guard('documentSymbols', [], (a) => features.documentSymbols(a)));
    connection.languages.semanticTokens.on(this.guard('semanticTokens', { data: [] }, (a) => features.semanticTokens(a)));
    connection.onFoldingRanges(this.guard('foldingRanges', [], (a) => features.foldingRanges(a)));
    connection.onDocumentFormatting(this.guard('formatting', [], (a, p) => features.formatting(a, p.options)));
    connection.onCodeAction(this.guard('codeActions', [], (a, p) => features.codeActions(a, p.textDocument.uri, p.range, p.context)));
    connection.languages.inlayHint.on(
      this.guard('inlayHints', [], (a, p) => {
        const hints = features.inlayHints(a, p.range);
        // The defaults can be switched off (`minima.inlayHints.defaults`); layer shapes stay.
        return this.settings.inlayHintDefaults ? hints : hints.filter((h) => h.kind !== InlayHintKind.Parameter);
      }),
    );
    connection.onDefinition(this.guard('definition', [], (a, p) => features.definition(a, p.textDocument.uri, p.position)));
    connection.onReferences(this.guard('references', [], (a, p) => features.references(a, p.textDocument.uri, p.position, p.context.includeDeclaration)));
    connection.onPrepareRename(this.guard('prepareRename', null, (a, p) => features.prepareRename(a, p.position) ?? null));
    connection.onRenameRequest(
      this.guard('rename', null, (a, p) => {
        const edit = features.rename(a, p.textDocument.uri, p.position, p.newName);
        if (edit) return edit;
        return new ResponseError(ErrorCodes.InvalidParams, features.renameError(a, p.position, p.newName) ?? 'cannot rename here');
      }),
    );
  }

  /** The analysis of the document's current version, computed once per version. */
  private analysisFor(uri: string): Analysis | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const cached = this.cache.get(uri);
    if (cached && cached.version === doc.version) return cached.analysis;
    const resolveModel = this.models(uri);
    const analysis = analyze(doc.getText(), CATALOG, resolveModel ? { resolveModel } : {});
    this.cache.set(uri, { version: doc.version, analysis });
    return analysis;
  }

  /**
   * Wraps a feature as a request handler: finds the analysis for the request's document, skips
   * cancelled requests, and turns an exception into a logged error and an empty answer.
   */
  private guard<P extends { readonly textDocument: { readonly uri: string } }, R, E>(
    name: string,
    empty: E,
    run: (a: Analysis, params: P) => R,
  ): (params: P, token: CancellationToken) => R | E {
    return (params, token) => {
      if (token.isCancellationRequested) return empty;
      try {
        const a = this.analysisFor(params.textDocument.uri);
        return a ? run(a, params) : empty;
      } catch (e) {
        this.connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return empty;
      }
    };
  }

  private schedule(uri: string, version: number): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.publish(uri, version);
      }, DIAGNOSTICS_DELAY_MS),
    );
  }

  /** Publishes diagnostics for `version`, unless the document has moved on (then a newer publish is scheduled). */
  private publish(uri: string, version: number): void {
    try {
      if (this.documents.get(uri)?.version !== version || this.published.get(uri) === version) return;
      const a = this.analysisFor(uri);
      if (!a || this.documents.get(uri)?.version !== version) return;
      this.published.set(uri, version);
      void this.connection.sendDiagnostics({ uri, version, diagnostics: features.diagnostics(a, uri) });
    } catch (e) {
      this.connection.console.error(`diagnostics failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  private async refreshSettings(): Promise<void> {
    if (!this.canReadConfiguration) return;
    try {
      const section: unknown = await this.connection.workspace.getConfiguration('minima');
      this.settings = { inlayHintDefaults: readBool(section, ['inlayHints', 'defaults']) ?? true };
      void this.connection.languages.inlayHint.refresh().catch(() => undefined);
    } catch {
      // A client that advertises configuration but fails to answer keeps the defaults.
    }
  }
}

/** Reads `obj.a.b` as a boolean, from settings that arrive as `unknown`. */
function readBool(obj: unknown, path: readonly string[]): boolean | undefined {
  let v: unknown = obj;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return typeof v === 'boolean' ? v : undefined;
}

if (require.main === module) startServer();
