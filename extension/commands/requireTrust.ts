import * as vscode from 'vscode';

/** Whether the workspace is trusted; if not, says that NAS Studio does not `what` there and offers to manage trust. */
export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(`NAS Studio does not ${what} in an untrusted workspace.`, 'Manage Workspace Trust')
    .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}
