/**
 * The NAS engine process: a language server over IPC. It validates spec files (diagnostics),
 * runs every kind of run in the background and streams their progress.
 * Handlers only; the work lives in RunManager and the modules behind it.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DiagnosticSeverity,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ERROR_CODES, type ErrorData } from '../contract/errors';
import { Notifications, Requests, SPEC_FILE_KINDS, type EngineInitOptions } from '../contract/protocol';
import { CancelledError, DataError, NasError, errorMessage } from './core/errors';
import { describeDataset } from './data/describeDataset';
import { RunManager } from './engine/runManager';
import { formatPath } from './experiment/specText';
import { evaluators, spaces, strategies } from './experiment/registry';
import { runKindOfSpecFile } from './runs/registry';
import { InvalidSpecError, MissingSpecFileError } from './runs/runService';

const VERSION = '0.1.0';
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let manager: RunManager | undefined;
let options: EngineInitOptions;
let trusted = false;

const log = (message: string) => connection.console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

function requireManager(): RunManager {
  if (!manager) throw new NasError('not-found', 'the engine has no experiments folder (open a folder or workspace)');
  return manager;
}

function requireTrust(): void {
  if (!trusted) throw new NasError('untrusted', 'NAS Studio does not run anything in an untrusted workspace. Trust the workspace to run it.');
}

/** What an engine error says beyond its message: the file, the spec option, the problems. */
function errorData(e: NasError): ErrorData {
  if (e instanceof InvalidSpecError) return { kind: e.code, specPath: e.file, problems: e.diagnostics.filter((d) => d.severity === 'error').map(({ message, start, end }) => ({ message, start, end })) };
  if (e instanceof MissingSpecFileError) return { kind: e.code, ...(e.file ? { file: e.file } : {}), specPath: e.specPath, ...(e.optionPath ? { optionPath: e.optionPath } : {}) };
  if (e instanceof DataError && e.file) return { kind: e.code, file: e.file };
  return { kind: e.code };
}

/** Maps engine errors one-to-one onto JSON-RPC error codes (contract/errors.ts); anything else is a bug. */
async function handle<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    if (e instanceof CancelledError) throw new ResponseError(LSPErrorCodes.RequestCancelled, e.message, { kind: 'cancelled' } satisfies ErrorData);
    if (e instanceof NasError) throw new ResponseError(ERROR_CODES[e.code], e.message, errorData(e));
    log(`internal error: ${e instanceof Error ? e.stack : errorMessage(e)}`);
    throw new ResponseError(ERROR_CODES.internal, `internal engine error: ${errorMessage(e)}`, { kind: 'internal' } satisfies ErrorData);
  }
}

connection.onInitialize((params) => {
  options = params.initializationOptions as EngineInitOptions;
  trusted = options.trusted;
  manager = new RunManager(
    options.experimentsRoot,
    {
      runChanged: (summary) => void connection.sendNotification(Notifications.runChanged, summary),
      trialFinished: (p) => void connection.sendNotification(Notifications.trialFinished, p),
      progress: (p) => void connection.sendNotification(Notifications.progress, p),
      log,
    },
    options.backend,
  );
  return {
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } },
    serverInfo: { name: 'NAS Studio engine', version: VERSION },
  };
});

connection.onInitialized(() => {
  log(`engine ${VERSION} (pid ${process.pid}, Node ${process.version}); runs in ${options.experimentsRoot}; backend ${options.backend}; workspace ${trusted ? 'trusted' : 'NOT trusted: nothing will run'}`);
  if (trusted && options.resumeInterrupted) {
    for (const id of requireManager().resumeInterrupted()) log(`${id}: interrupted earlier; resuming from its journal`);
  }
});

connection.onNotification(Notifications.setTrusted, ({ trusted: value }) => {
  trusted = value;
  log(`workspace trust ${value ? 'granted' : 'revoked'}`);
  if (trusted && options.resumeInterrupted) requireManager().resumeInterrupted();
});

connection.onRequest(Requests.engineInfo, () => ({ version: VERSION, experimentsRoot: options.experimentsRoot, trusted, pid: process.pid }));

connection.onRequest(Requests.catalog, () => ({
  spaces: spaces.map(({ type, title, description }) => ({ type, title, description })),
  evaluators: evaluators.map(({ type, title, description, spaces: s, optionsSchema }) => ({
    type,
    title,
    description,
    spaces: s,
    requiredOptions: (optionsSchema.required ?? []).map((name) => ({ name, description: optionsSchema.properties?.[name]?.description ?? name })),
  })),
  strategies: strategies.map(({ type, title, description, multiObjective, priorShapes }) => ({ type, title, description, multiObjective, ...(priorShapes ? { priorShapes } : {}) })),
}));

connection.onRequest(Requests.metricNames, ({ evaluator, baseDir }) =>
  handle(() => {
    const definition = evaluators.find((d) => d.type === evaluator.type);
    if (!definition) throw new NasError('invalid-request', `unknown evaluator type "${evaluator.type}"`);
    const { type: _type, ...evaluatorOptions } = evaluator;
    return [...definition.metricNames(evaluatorOptions, baseDir)];
  }),
);

connection.onRequest(Requests.describeDataset, ({ dataset, baseDir }) =>
  handle(() => describeDataset(dataset, baseDir)),
);

connection.onRequest(Requests.validateSpec, ({ specPath, text }) =>
  handle(() => {
    const kind = runKindOfSpecFile(specPath);
    if (!kind) throw new NasError('invalid-request', `${specPath} is not a spec file name (${SPEC_FILE_KINDS.map((k) => `*${k.suffix}`).join(', ')})`);
    const { diagnostics } = kind.validate(text, { file: specPath, baseDir: dirname(specPath), ...(manager ? { runs: manager.runs } : {}) });
    return diagnostics.map(({ severity, message, path }) => ({ severity, message, path: formatPath(path) }));
  }),
);

connection.onRequest(Requests.listRuns, () => handle(() => requireManager().list()));
connection.onRequest(Requests.getRun, ({ id }) => handle(() => requireManager().get(id)));
connection.onRequest(Requests.startRun, (params) =>
  handle(async () => {
    requireTrust();
    return { id: await requireManager().start(params) };
  }),
);
connection.onRequest(Requests.resumeRun, ({ id }) =>
  handle(() => {
    requireTrust();
    requireManager().resume(id);
    return { id };
  }),
);
connection.onRequest(Requests.stopRun, ({ id }) => handle(() => requireManager().stop(id)));

connection.onRequest(Requests.getTrials, ({ id, offset, limit }) => handle(() => requireManager().trials(id, offset, limit)));
connection.onRequest(Requests.getTrial, ({ id, trial }) => handle(() => requireManager().trial(id, trial)));
connection.onRequest(Requests.findArchitecture, ({ arch, ids }) => handle(() => requireManager().findArchitecture(arch, ids)));
connection.onRequest(Requests.getDecisions, ({ id }) => handle(() => requireManager().decisions(id)));
connection.onRequest(Requests.getArchDetails, ({ id, arch }) => handle(() => requireManager().archDetails(id, arch)));
connection.onRequest(Requests.warmStartCandidates, ({ space, objectiveCount }) => handle(() => requireManager().warmStartCandidates(space, objectiveCount)));

connection.onRequest(Requests.getQuantizationEpisodes, ({ id }) => handle(() => requireManager().quantizationEpisodes(id)));
connection.onRequest(Requests.getTrainingEpochs, ({ id }) => handle(() => requireManager().trainingEpochs(id)));
connection.onRequest(Requests.exportSupernetSubnet, ({ id, arch, outDir }, token) =>
  handle(() => {
    requireTrust();
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return requireManager().exportSupernetSubnet(id, arch, outDir, controller.signal);
  }),
);

connection.onRequest(Requests.exportModel, (params, token) =>
  handle(() => {
    requireTrust();
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return requireManager().exportModel(params, controller.signal);
  }),
);

connection.onRequest(Requests.exportSpecializedSubnet, ({ id, limit, path }) => handle(() => requireManager().exportSpecializedSubnet(id, limit, path)));

// Diagnostics for spec documents (their kind follows from the file name), on open and on every change.
function validateDocument(document: TextDocument): void {
  const path = document.uri.startsWith('file:') ? fileURLToPath(document.uri) : undefined;
  const kind = runKindOfSpecFile(path ?? document.uri);
  if (!kind) return;
  const result = kind.validate(document.getText(), { file: path, baseDir: path ? dirname(path) : process.cwd(), ...(manager ? { runs: manager.runs } : {}) });
  const diagnostics: Diagnostic[] = result.diagnostics.map((d) => ({
    range: { start: document.positionAt(d.start), end: document.positionAt(d.end) },
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'nas-studio',
    message: d.message,
    ...(d.fixes ? { data: { fixes: d.fixes.map((f) => ('choose' in f ? f : { title: f.title, range: { start: document.positionAt(f.start), end: document.positionAt(f.end) }, newText: f.text })) } satisfies DiagnosticFixes } : {}),
  }));
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
}

/** The quick fixes a diagnostic carries (computed when it was published, against that text). */
interface DiagnosticFixes {
  readonly fixes: readonly ({ readonly title: string; readonly range: Range; readonly newText: string } | { readonly title: string; readonly choose: 'file' | 'folder'; readonly optionPath: readonly (string | number)[] })[];
}

// Quick fixes: did-you-mean replacements, clamped numbers, and "Choose File…" (an editor command with a dialog).
connection.onCodeAction(({ textDocument, context }) =>
  context.diagnostics.flatMap((diagnostic) =>
    ((diagnostic.data as DiagnosticFixes | undefined)?.fixes ?? []).map(
      (fix): CodeAction => ({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...('choose' in fix
          ? { command: { title: fix.title, command: 'nasStudio.chooseSpecPath', arguments: [textDocument.uri, fix.optionPath, fix.choose] } }
          : { isPreferred: true, edit: { changes: { [textDocument.uri]: [{ range: fix.range, newText: fix.newText }] } } }),
      }),
    ),
  ),
);

documents.onDidOpen((e) => validateDocument(e.document));
documents.onDidChangeContent((e) => validateDocument(e.document));
documents.onDidClose((e) => void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));

connection.onShutdown(async () => {
  await manager?.shutdown();
});

process.on('uncaughtException', (e) => log(`uncaught exception: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${errorMessage(e)}`));

documents.listen(connection);
connection.listen();
