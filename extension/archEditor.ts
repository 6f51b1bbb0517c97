import * as path from 'node:path';
import * as vscode from 'vscode';
import { archDocumentGraph } from './archDocument';
import { ViewPanel } from './panels/webviewHost';

export const archEditorViewType = 'nasStudio.archEditor';

/** Text edits are redrawn once typing pauses this long. */
const REDRAW_DELAY_MS = 200;

/**
 * The editor for exported `*.arch.json` files: the architecture graph of the document, redrawn
 * as its text changes (in a text editor beside it, or on disk). The text stays the source.
 */
export class ArchEditorProvider implements vscode.CustomTextEditorProvider {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: (message: string) => void,
  ) {}

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const fileName = path.basename(document.uri.path);
    const view = new ViewPanel(panel, {
      view: 'graph',
      extensionUri: this.extensionUri,
      log: this.log,
      content: {
        snapshot: async (withInit) => {
          const { title, graph, supernet } = archDocumentGraph(document.getText(), fileName);
          return [withInit ? { type: 'init', view: 'graph', title, graph, supernet } : { type: 'showGraph', title, graph, supernet }];
        },
        exportFolder: () => vscode.Uri.joinPath(document.uri, '..'),
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const changes = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== document || e.contentChanges.length === 0) return;
      clearTimeout(timer);
      timer = setTimeout(() => view.refresh(), REDRAW_DELAY_MS);
    });
    panel.onDidDispose(() => {
      clearTimeout(timer);
      changes.dispose();
    });
  }
}

/** The architecture file a command acts on: its argument (a Uri or a path), else the active tab's file. */
export function activeArchFile(target: unknown): vscode.Uri | undefined {
  if (target instanceof vscode.Uri) return target;
  // Explorer rows name the file by path (their data carries no Uri).
  if (typeof target === 'string' && target.endsWith('.arch.json')) return vscode.Uri.file(target);
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
  return uri?.path.endsWith('.arch.json') ? uri : undefined;
}

export function registerArchEditor(extensionUri: vscode.Uri, log: (message: string) => void): vscode.Disposable[] {
  const open = (viewType: string) => async (target: unknown) => {
    const uri = activeArchFile(target);
    if (!uri) {
      void vscode.window.showInformationMessage('Open an exported *.arch.json file first.');
      return undefined;
    }
    await vscode.commands.executeCommand('vscode.openWith', uri, viewType, vscode.ViewColumn.Beside);
    return uri;
  };
  return [
    vscode.window.registerCustomEditorProvider(archEditorViewType, new ArchEditorProvider(extensionUri, log), {
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.commands.registerCommand('nasStudio.openArchText', open('default')),
    vscode.commands.registerCommand('nasStudio.openArchGraph', open(archEditorViewType)),
  ];
}
