import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseError } from 'vscode-languageserver-protocol';
import { ERROR_CODES, type ErrorData, type ErrorKind } from '../../../contract/errors';
import { engineFailureOf, errorAction } from '../../../extension/errors/errorAction';

/** A failed request as the client receives it. */
function failed(kind: ErrorKind, message: string, data?: Omit<ErrorData, 'kind'>): unknown {
  return new ResponseError(ERROR_CODES[kind], message, data ? { kind, ...data } : undefined);
}

function actionOf(error: unknown, runId?: string) {
  const failure = engineFailureOf(error);
  assert.ok(failure, 'an engine failure');
  return errorAction(failure, { runId });
}

test('the kind comes from the code, one-to-one; errors without a code are the editor\'s own', () => {
  for (const kind of Object.keys(ERROR_CODES) as ErrorKind[]) assert.equal(engineFailureOf(failed(kind, 'x'))?.kind, kind);
  assert.equal(engineFailureOf(new ResponseError(-32099, 'server not initialized'))?.kind, 'internal', 'codes NAS Studio does not define are internal');
  assert.equal(engineFailureOf(new Error('The NAS Studio engine is not running.')), undefined);
  assert.equal(engineFailureOf('text'), undefined);
});

test('a missing dataset named by a spec option: a short message naming the file and the option, and "Choose…" for a folder or a file', () => {
  const folder = actionOf(failed('missing-data', 'dataset folder not found: /ws/data/mnist', { file: '/ws/data/mnist', specPath: '/ws/a.nas.json', optionPath: ['evaluator', 'dataset', 'path'] }));
  assert.deepEqual(folder, {
    do: 'locate',
    message: 'NAS Studio: mnist does not exist (evaluator.dataset.path in a.nas.json).',
    detail: 'dataset folder not found: /ws/data/mnist (evaluator.dataset.path in /ws/a.nas.json)',
    specPath: '/ws/a.nas.json',
    optionPath: ['evaluator', 'dataset', 'path'],
    pick: 'folder',
  });
  const file = actionOf(failed('missing-data', 'table not found', { file: '/ws/nb201.csv', specPath: '/ws/a.nas.json', optionPath: ['evaluator', 'table'] }));
  assert.equal(file.do === 'locate' && file.pick, 'file');
  // Without the spec option (a specialization's predictor picked in a dialog) there is nothing to rewrite: the file's name, its full path in the details.
  assert.deepEqual(actionOf(failed('missing-data', 'predictor not found: /p.json', { file: '/p.json' })), {
    do: 'show',
    severity: 'error',
    message: 'NAS Studio: p.json does not exist.',
    detail: 'predictor not found: /p.json',
    button: 'Show Details',
  });
  assert.deepEqual(actionOf(failed('missing-data', 'no file')), { do: 'show', severity: 'error', message: 'NAS Studio: no file' });
});

test('an invalid spec opens at its first problem', () => {
  const problems = [
    { message: 'evaluator.epochs must be >= 1', start: 80, end: 81 },
    { message: 'unknown key "populaton"', start: 120, end: 131 },
  ];
  assert.deepEqual(actionOf(failed('invalid-spec', '/ws/a.nas.json: 2 problems in the spec', { specPath: '/ws/a.nas.json', problems })), {
    do: 'open-problem',
    message: 'NAS Studio: /ws/a.nas.json: 2 problems in the spec',
    specPath: '/ws/a.nas.json',
    start: 80,
    end: 81,
  });
  assert.equal(actionOf(failed('invalid-spec', 'limits must be positive', { problems: [] })).do, 'show', 'a spec built by the editor has no file to open');
});

test('a cancellation shows nothing; other kinds one clear message', () => {
  assert.deepEqual(actionOf(failed('cancelled', 'Request cancelled', {})), { do: 'nothing' });
  assert.deepEqual(actionOf(failed('untrusted', 'not trusted')), { do: 'show', severity: 'warning', message: 'NAS Studio: not trusted', button: 'Manage Workspace Trust' });
  assert.deepEqual(actionOf(failed('busy', 'run x is already running')), { do: 'show', severity: 'warning', message: 'NAS Studio: run x is already running' });
  assert.deepEqual(actionOf(failed('internal', 'internal engine error: boom')), { do: 'show', severity: 'error', message: 'NAS Studio: internal engine error: boom', button: 'Show Engine Log' });
  for (const kind of ['not-found', 'invalid-data', 'unavailable', 'invalid-request', 'failed'] as const) {
    assert.deepEqual(actionOf(failed(kind, 'what happened')), { do: 'show', severity: 'error', message: 'NAS Studio: what happened' }, kind);
  }
});

test('a damaged run points at nas-studio repair', () => {
  const named = actionOf(failed('damaged', 'run r1 is damaged (journal line 3: not JSON); `nas-studio repair r1` rewrites a clean journal'), 'r1');
  assert.equal(named.do === 'show' && named.message, 'NAS Studio: run r1 is damaged (journal line 3: not JSON); `nas-studio repair r1` rewrites a clean journal');
  const unnamed = actionOf(failed('damaged', 'run r2 cannot be read: spec.json is missing'), 'r2');
  assert.equal(unnamed.do === 'show' && unnamed.message, 'NAS Studio: run r2 cannot be read: spec.json is missing. Run `nas-studio repair r2` in a terminal to check its journal (with --yes it rewrites a clean one).');
});
