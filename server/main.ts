/**
 * The NAS engine process: a language server over IPC. It validates `*.nas.json` and
 * `*.supernet.json` specs (diagnostics), runs experiments and supernet trainings in the
 * background and streams their progress.
 * Handlers only; the work lives in ExperimentManager and the modules behind it.
 */
import { ERROR_CODES } from '../contract/errors';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DiagnosticSeverity,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NasError, errorMessage } from './core/errors';
import { ExperimentManager, InvalidSpecError } from './engine/experimentManager';
import { SpecializationManager } from './engine/specializationManager';
import { evaluators, spaces, strategies } from './experiment/registry';
import { validateSpecText } from './experiment/validate';
import { SUPERNET_SPEC_SUFFIX, validateSupernetSpecText } from './supernet/validateSupernet';
import { Notifications, Requests, SpecializationNotifications, SpecializationRequests, type EngineInitOptions } from '../contract/protocol';

const VERSION = '0.1.0';
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let manager: ExperimentManager | undefined;
let specializations: SpecializationManager | undefined;
let options: EngineInitOptions;
let trusted = false;

const log = (message: string) => connection.console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

function requireManager(): ExperimentManager {
  if (!manager) throw new ResponseError(ERROR_CODES['not-found'], 'the engine has no experiments folder (open a folder or workspace)');
  return manager;
}

function requireTrust(): void {
  if (!trusted) {
    throw new ResponseError(ERROR_CODES.untrusted, 'NAS Studio does not run experiments in an untrusted workspace. Trust the workspace to run them.');
  }
}

/** Maps engine errors to JSON-RPC errors the client can show as they are. */
async function handle<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    if (e instanceof InvalidSpecError) throw new ResponseError(ERROR_CODES['invalid-spec'], e.message);
    if (e instanceof NasError) {
      const code = e.code === 'not-found' ? ERROR_CODES['not-found'] : e.code === 'busy' ? ERROR_CODES.busy : ERROR_CODES['invalid-spec'];
      throw new ResponseError(code, e.message);
    }
    log(`internal error: ${e instanceof Error ? e.stack : errorMessage(e)}`);
    throw new ResponseError(-32603, `internal engine error: ${errorMessage(e)}`);
  }
}

connection.onInitialize((params) => {
  options = params.initializationOptions as EngineInitOptions;
  trusted = options.trusted;
  if (options.backend !== 'auto') process.env.NAS_STUDIO_BACKEND = options.backend;
  manager = new ExperimentManager(options.experimentsRoot, {
    experimentChanged: (summary) => void connection.sendNotification(Notifications.experimentChanged, summary),
    trialFinished: (p) => void connection.sendNotification(Notifications.trialFinished, p),
    progress: (p) => void connection.sendNotification(Notifications.progress, p),
    log,
  });
  specializations = new SpecializationManager(join(dirname(options.experimentsRoot), 'specializations'), {
    changed: (summary) => void connection.sendNotification(SpecializationNotifications.changed, summary),
    progress: (p) => void connection.sendNotification(Notifications.progress, p),
    log,
  });
  return { capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental }, serverInfo: { name: 'NAS Studio engine', version: VERSION } };
});

connection.onInitialized(() => {
  log(`engine ${VERSION} (pid ${process.pid}, Node ${process.version}); experiments in ${options.experimentsRoot}; workspace ${trusted ? 'trusted' : 'NOT trusted: experiments will not run'}`);
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
  strategies: strategies.map(({ type, title, description, multiObjective }) => ({ type, title, description, multiObjective })),
}));

connection.onRequest(Requests.metricNames, ({ evaluator, baseDir }) =>
  handle(() => {
    const definition = evaluators.find((d) => d.type === evaluator.type);
    if (!definition) throw new NasError('invalid-spec', `unknown evaluator type "${evaluator.type}"`);
    const { type: _type, ...evaluatorOptions } = evaluator;
    return [...definition.metricNames(evaluatorOptions, baseDir)];
  }),
);

connection.onRequest(Requests.listExperiments, () => handle(() => requireManager().list()));
connection.onRequest(Requests.getExperiment, ({ id }) => handle(() => requireManager().get(id)));
connection.onRequest(Requests.getTrials, ({ id, offset, limit }) => handle(() => requireManager().trials(id, offset, Math.min(limit, 5000))));
connection.onRequest(Requests.getTrial, ({ id, trial }) => handle(() => requireManager().trial(id, trial)));
connection.onRequest(Requests.exportSupernetSubnet, ({ id, arch, outDir }, token) =>
  handle(() => {
    requireTrust();
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return requireManager().exportSubnet(id, arch, outDir, controller.signal);
  }),
);
connection.onRequest(Requests.getArchDetails, ({ id, arch }) => handle(() => requireManager().archDetails(id, arch)));
connection.onRequest(Requests.getTrainingEpochs, ({ id }) => handle(() => requireManager().trainingEpochs(id)));
connection.onRequest(Requests.findArchitecture, ({ arch, ids }) => handle(() => requireManager().findArchitecture(arch, ids)));

connection.onRequest(Requests.runExperiment, ({ specPath, text }) =>
  handle(() => {
    requireTrust();
    return { id: requireManager().start(specPath, text) };
  }),
);

connection.onRequest(Requests.trainSupernet, ({ specPath, text }) =>
  handle(() => {
    requireTrust();
    return { id: requireManager().startSupernet(specPath, text) };
  }),
);

connection.onRequest(Requests.resumeExperiment, ({ id }) =>
  handle(() => {
    requireTrust();
    requireManager().resume(id);
    return { id };
  }),
);

connection.onRequest(Requests.stopExperiment, ({ id }) => handle(() => requireManager().stop(id)));

function requireSpecializations(): SpecializationManager {
  if (!specializations) throw new ResponseError(ERROR_CODES['not-found'], 'the engine is not initialized');
  return specializations;
}

connection.onRequest(SpecializationRequests.start, (params) =>
  handle(() => {
    requireTrust();
    return { id: requireSpecializations().start(params) };
  }),
);
connection.onRequest(SpecializationRequests.list, () => handle(() => requireSpecializations().list()));
connection.onRequest(SpecializationRequests.stop, ({ id }) => handle(() => requireSpecializations().stop(id)));
connection.onRequest(SpecializationRequests.exportSubnet, ({ id, limit, path }) => handle(() => requireSpecializations().exportSubnet(id, limit, path)));

// Diagnostics for spec documents (experiments and supernet runs, told apart by file name), on open and on every change.
function validateDocument(document: TextDocument): void {
  const path = document.uri.startsWith('file:') ? fileURLToPath(document.uri) : undefined;
  const context = { file: path, baseDir: path ? dirname(path) : process.cwd() };
  const validate = SUPERNET_SPEC_SUFFIX.test(document.uri) ? validateSupernetSpecText : validateSpecText;
  const result = validate(document.getText(), context);
  const diagnostics: Diagnostic[] = result.diagnostics.map((d) => ({
    range: { start: document.positionAt(d.start), end: document.positionAt(d.end) },
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'nas-studio',
    message: d.message,
  }));
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
}

documents.onDidOpen((e) => validateDocument(e.document));
documents.onDidChangeContent((e) => validateDocument(e.document));
documents.onDidClose((e) => void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));

connection.onShutdown(async () => {
  await Promise.all([manager?.shutdown(), specializations?.shutdown()]);
});

process.on('uncaughtException', (e) => log(`uncaught exception: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${errorMessage(e)}`));

documents.listen(connection);
connection.listen();
