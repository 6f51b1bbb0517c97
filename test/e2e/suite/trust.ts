// Runs INSIDE code-server's extension host, in a workspace opened in Restricted Mode: the trust
// the user grants in the workbench must reach the engine, and still hold after the engine
// crashes and the client restarts it (initializationOptions are read afresh on every start).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Requests, type EngineInfo } from '../../../contract/protocol';
import type { NasStudioApi } from '../../../extension/extension';
import { activated, report, signal, test, tinySpec, until } from './harness';

export async function run(): Promise<void> {
  const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
  const spec = join(workspace, 'trusted.nas.json');
  writeFileSync(spec, JSON.stringify(tinySpec('trusted', 2, 256), null, 2));
  let api: NasStudioApi | undefined;
  const engineInfo = (): Promise<EngineInfo> => api!.engine.request0(Requests.engineInfo);

  await test('in Restricted Mode the engine is told the workspace is untrusted, and nothing runs', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace opened trusted');
    api = await activated();
    assert.equal((await engineInfo()).trusted, false);
    assert.equal(await vscode.commands.executeCommand('nasStudio.runExperiment', vscode.Uri.file(spec)), undefined);
    assert.deepEqual(api.tree.all(), []);
  });

  await test('trust granted in the workbench reaches the running engine', async () => {
    // The driver opens "Manage Workspace Trust" and presses "Trust".
    signal('grant-trust');
    await until('the workspace to be trusted', () => vscode.workspace.isTrusted || undefined, 90_000);
    await until('the engine to hear it', async () => (await engineInfo()).trusted || undefined, 15_000);
  });

  await test('after a crash the engine restarts trusted, and a run completes', async () => {
    const pid = await api!.engine.pid();
    process.kill(pid, 'SIGKILL');
    const restarted = await until(
      'a new engine process',
      async () => {
        const info = await engineInfo().catch(() => undefined);
        return info && info.pid !== pid ? info : undefined;
      },
      60_000,
    );
    assert.equal(restarted.trusted, true, 'the restarted engine was sent the trust as it is now, not as it was at activation');
    const id = await vscode.commands.executeCommand<string>('nasStudio.runExperiment', vscode.Uri.file(spec));
    assert.ok(id, 'the run was not started');
    const summary = await until('the run to end', () => {
      const s = api!.tree.summary(id);
      return s && (s.status === 'finished' || s.status === 'failed') ? s : undefined;
    });
    assert.equal(summary.status, 'finished', summary.error);
    assert.deepEqual(summary.progress, { done: 2, total: 2, unit: 'trials' });
  });

  report();
}
