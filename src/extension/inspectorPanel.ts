// The inspector panel host: one webview panel per scenario document, beside the editor.
// Runs the scenario (first render at once, later renders throttled), answers the
// webview's typed requests (validated first), keeps editor cursor and selected step in
// sync both ways, and is restored after a reload by a WebviewPanelSerializer.

import * as vscode from 'vscode';
import { runText, type RunResult, type RunOptions } from '../scenario/run';
import { buildRun, buildStepDetail, compareRuns, PteIndex, StateAtStep, type InspectorRun } from '../scenario/inspectorModel';
import { needsWorker } from '../scenario/summary';
import { Msg, MAX_PTE_PAGE, validateFromWebview, type FromWebview, type KernelVerdictsMessage, type ToWebview } from '../protocol/messages';
import { readSettings, runOptions } from './settings';

export const INSPECTOR_VIEW_TYPE = 'mmscope.inspector';
const THROTTLE_MS = 300;
/** Above this many lines a document is run only after typing pauses (no worker can hold a RunResult). */
const BIG_DELAY_MS = 1000;

function nonce(): string {
  const c = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += c[Math.floor(Math.random() * c.length)];
  return s;
}

function isScenario(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && (doc.languageId === 'mmscope' || doc.uri.path.endsWith('.mms'));
}

class InspectorPanel implements vscode.Disposable {
  private run: RunResult | undefined;
  private view: InspectorRun | undefined;
  private states: StateAtStep | undefined;
  private pteIndex: { runId: number; step: number; index: PteIndex } | undefined;
  private selected = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRunAt = 0;
  private disposables: vscode.Disposable[] = [];
  private revealGuard: { line: number; until: number } | undefined;
  private compareKernel = '';
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.rangeHighlightForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });

  constructor(readonly panel: vscode.WebviewPanel, readonly uri: vscode.Uri, private readonly extensionUri: vscode.Uri,
    private readonly onDispose: (p: InspectorPanel) => void, selected = 0) {
    this.selected = selected;
    const roots = [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
    panel.webview.options = { enableScripts: true, localResourceRoots: roots };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'inspector.svg');
    panel.title = `Inspector: ${uri.path.split('/').pop()}`;
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => {
        const msg = validateFromWebview(m);
        if (msg) this.onMessage(msg);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.document.uri.toString() === this.uri.toString()) this.schedule(e.document); }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() === this.uri.toString()) this.onCursor(e.selections[0].active.line);
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorate()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('mmscope')) this.refresh(); }),
    );
  }

  private html(): string {
    const w = this.panel.webview;
    const n = nonce();
    const css = w.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'inspector.css'));
    const codicons = w.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'codicons', 'codicon.css'));
    const js = w.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'main.js'));
    // vscode-elements adopt constructable stylesheets (allowed by style-src via the nonce)
    const csp = [`default-src 'none'`, `style-src ${w.cspSource} 'nonce-${n}'`, `font-src ${w.cspSource}`,
      `img-src ${w.cspSource}`, `script-src 'nonce-${n}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${codicons}" id="vscode-codicon-stylesheet" nonce="${n}">
<link rel="stylesheet" href="${css}" nonce="${n}">
<title>MM Scope inspector</title></head>
<body><script nonce="${n}" src="${js}"></script></body></html>`;
  }

  private post(m: ToWebview): void { void this.panel.webview.postMessage(m); }
  private kernelVerdicts: KernelVerdictsMessage | undefined;
  /** show real-kernel verdicts in the timeline (kept, and sent again when the webview reloads) */
  postKernelVerdicts(m: KernelVerdictsMessage): void { this.kernelVerdicts = m; this.post(m); }

  private document(): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
  }

  private options(): RunOptions {
    try { return runOptions(readSettings(this.uri)); } catch { return {}; }
  }

  /** Run now (first render, reload, settings). */
  async refresh(): Promise<void> {
    let doc = this.document();
    if (!doc) {
      try { doc = await vscode.workspace.openTextDocument(this.uri); } catch {
        this.post({ type: Msg.Status, text: `Cannot open ${this.uri.fsPath}`, busy: false });
        return;
      }
    }
    this.runNow(doc);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (this.timer) clearTimeout(this.timer);
    const big = needsWorker(doc.getText());
    const wait = big ? BIG_DELAY_MS : Math.max(0, THROTTLE_MS - (Date.now() - this.lastRunAt));
    if (big) this.post({ type: Msg.Status, text: 'Large scenario: waiting for typing to pause…', busy: true });
    this.timer = setTimeout(() => { this.timer = undefined; this.runNow(doc); }, wait);
  }

  private runNow(doc: vscode.TextDocument): void {
    const text = doc.getText();
    if (needsWorker(text)) this.post({ type: Msg.Status, text: 'Running the scenario…', busy: true });
    this.lastRunAt = Date.now();
    let r: RunResult;
    try { r = runText(text, this.options()); } catch (e) {
      this.post({ type: Msg.Status, text: `The scenario could not run: ${(e as Error).message}`, busy: false });
      return;
    }
    this.run = r;
    this.states = new StateAtStep(r, this.options());
    this.pteIndex = undefined;
    this.view = buildRun(r, text);
    this.selected = Math.min(this.selected, Math.max(0, this.view.rows.length - 1));
    this.post({ type: Msg.Run, run: this.view, selected: this.selected, uri: this.uri.toString(), file: this.uri.path.split('/').pop() ?? '' });
    this.post({ type: Msg.Status, text: '', busy: false });
    this.sendStep();
    if (this.compareKernel) this.sendCompare();
    this.decorate();
  }

  private sendStep(): void {
    if (!this.run || !this.view || !this.states || !this.view.rows.length) return;
    const text = this.document()?.getText() ?? '';
    const k = this.states.engineAt(this.selected);
    this.post({ type: Msg.Step, runId: this.view.runId, detail: buildStepDetail(this.run, text, this.selected, k) });
  }

  private onMessage(m: FromWebview): void {
    switch (m.type) {
      case Msg.Ready:
        if (m.selected !== undefined) this.selected = m.selected;
        void this.refresh().then(() => { if (this.kernelVerdicts) this.post(this.kernelVerdicts); });
        return;
      case Msg.SelectStep:
        if (!this.view || m.step >= this.view.rows.length) return;
        this.selected = m.step;
        this.sendStep();
        this.decorate(true);
        return;
      case Msg.RevealLine:
        if (!this.view || m.step >= this.view.rows.length) return;
        void this.reveal(this.view.rows[m.step].line);
        return;
      case Msg.RequestPtes: {
        if (!this.run || !this.view || !this.states || m.step >= this.view.rows.length) return;
        if (!this.pteIndex || this.pteIndex.runId !== this.view.runId || this.pteIndex.step !== m.step) {
          this.pteIndex = { runId: this.view.runId, step: m.step, index: new PteIndex(this.states.engineAt(m.step), this.run, this.run.steps[m.step]) };
        }
        const ix = this.pteIndex.index;
        const count = Math.min(m.count, MAX_PTE_PAGE);
        this.post({ type: Msg.Ptes, runId: this.view.runId, requestId: m.requestId, step: m.step, offset: m.offset, total: ix.count(m.filter), rows: ix.rows(m.filter, m.offset, count) });
        return;
      }
      case Msg.RequestCompare:
        this.compareKernel = m.kernel;
        this.sendCompare();
        return;
    }
  }

  private sendCompare(): void {
    if (!this.run || !this.view || !this.compareKernel) return;
    const text = this.document()?.getText() ?? '';
    const other = runText(text, { ...this.options(), kernelOverride: this.compareKernel });
    this.post({ type: Msg.Compare, runId: this.view.runId, kernel: other.kernel.toString(), base: this.run.kernel.toString(), rows: compareRuns(this.run, other, text) });
  }

  /** Editor cursor → step (the statement on that line, else the last one above it). */
  private onCursor(line: number): void {
    if (!this.view) return;
    if (this.revealGuard && this.revealGuard.line === line && Date.now() < this.revealGuard.until) { this.revealGuard = undefined; return; }
    let step = -1;
    for (const r of this.view.rows) { if (r.line <= line) step = r.step; else break; }
    if (step < 0 || step === this.selected) return;
    this.selected = step;
    this.post({ type: Msg.Select, step });
    this.sendStep();
    this.decorate();
  }

  private async reveal(line: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri.toString());
    const ed = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    const pos = new vscode.Position(line, 0);
    this.revealGuard = { line, until: Date.now() + 1000 };
    ed.selection = new vscode.Selection(pos, pos);
    ed.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.decorate();
  }

  private decorate(scroll = false): void {
    const line = this.view?.rows[this.selected]?.line;
    for (const ed of vscode.window.visibleTextEditors) {
      if (ed.document.uri.toString() !== this.uri.toString()) continue;
      if (line === undefined || line < 0) { ed.setDecorations(this.decoration, []); continue; }
      const r = new vscode.Range(line, 0, line, 0);
      ed.setDecorations(this.decoration, [r]);
      if (scroll) ed.revealRange(r, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }

  step(delta: number): void {
    if (!this.view?.rows.length) return;
    const s = Math.max(0, Math.min(this.view.rows.length - 1, this.selected + delta));
    if (s === this.selected) return;
    this.selected = s;
    this.post({ type: Msg.Select, step: s });
    this.sendStep();
    this.decorate(true);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.decoration.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposables = [];
    this.onDispose(this);
  }
}

/** Registers the inspector commands and the panel serializer; extension.ts pushes the result. */
export function registerInspector(context: vscode.ExtensionContext): vscode.Disposable[] {
  const panels = new Map<string, InspectorPanel>();
  let lastActive: InspectorPanel | undefined;

  const track = (p: InspectorPanel) => {
    panels.set(p.uri.toString(), p);
    lastActive = p;
    p.panel.onDidChangeViewState((e) => { if (e.webviewPanel.active) lastActive = p; });
  };
  const remove = (p: InspectorPanel) => {
    if (panels.get(p.uri.toString()) === p) panels.delete(p.uri.toString());
    if (lastActive === p) lastActive = undefined;
  };
  const current = (): InspectorPanel | undefined => {
    const doc = vscode.window.activeTextEditor?.document;
    return (doc && panels.get(doc.uri.toString())) ?? [...panels.values()].find((p) => p.panel.active) ?? lastActive;
  };

  const open = async (arg?: vscode.Uri) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    const doc = arg instanceof vscode.Uri ? undefined : vscode.window.activeTextEditor?.document;
    if (!uri || (doc && !isScenario(doc))) {
      void vscode.window.showInformationMessage('Open a .mms scenario first, then run "MM Scope: Open Inspector to the Side".');
      return;
    }
    const existing = panels.get(uri.toString());
    if (existing) { existing.panel.reveal(vscode.ViewColumn.Beside, true); return; }
    const panel = vscode.window.createWebviewPanel(INSPECTOR_VIEW_TYPE, 'Inspector', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(context.extensionUri, 'media')] });
    track(new InspectorPanel(panel, uri, context.extensionUri, remove));
  };

  const serializer: vscode.WebviewPanelSerializer = {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      const s = state as { uri?: unknown; selected?: unknown } | undefined;
      const uriStr = s && typeof s.uri === 'string' ? s.uri : undefined;
      if (!uriStr) { panel.dispose(); return; }
      let uri: vscode.Uri;
      try { uri = vscode.Uri.parse(uriStr, true); } catch { panel.dispose(); return; }
      const sel = typeof s?.selected === 'number' && Number.isInteger(s.selected) && s.selected >= 0 ? s.selected : 0;
      track(new InspectorPanel(panel, uri, context.extensionUri, remove, sel));
    },
  };

  return [
    vscode.commands.registerCommand('mmscope.openInspector', open),
    vscode.commands.registerCommand('mmscope.inspector.next', () => current()?.step(1)),
    vscode.commands.registerCommand('mmscope.inspector.previous', () => current()?.step(-1)),
    // internal (src/extension/realKernel.ts): per-statement real-kernel verdicts for a scenario's panel
    vscode.commands.registerCommand('mmscope.inspector.kernelVerdicts', (uri: string, m: KernelVerdictsMessage) => {
      const p = panels.get(uri);
      if (p) p.postKernelVerdicts(m);
      return !!p;
    }),
    vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, serializer),
    { dispose: () => { for (const p of [...panels.values()]) p.panel.dispose(); } },
  ];
}
