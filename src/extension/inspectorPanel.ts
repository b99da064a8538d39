// The inspector panel host: one webview panel per scenario document, beside the editor.
// It computes and runs nothing itself: it shows each run ServerRuns publishes for its
// document (the one run per version that also feeds the diagnostics), and asks the
// document's scenario service about that run by its id (timeline, step detail, PTE pages,
// compare; src/views/inspectorService.ts). An answer about a run that a newer one replaced
// is dropped (the service says `stale`, or the view moved on). It forwards the webview's
// typed requests (validated first), keeps editor cursor and selected step in sync both ways,
// and is restored after a reload by a WebviewPanelSerializer.

import * as vscode from 'vscode';
import { panelMarks } from './stats';
import type { InspectorRun, StepDetail } from '../shared/inspectorView';
import { offeredVersions } from '../engine/versions';
import type { InspectorAnswer, InspectorQuery } from '../views/inspectorService';
import { Msg, MAX_PTE_PAGE, validateFromWebview, type FromWebview, type KernelVerdictsMessage, type ToWebview } from '../shared/protocol';
import type { DocumentRun, ServerRuns } from './serverRuns';

export const INSPECTOR_VIEW_TYPE = 'mmscope.inspector';

/** Longest synchronous stretch of the panel's host-side handlers (ms), for the e2e host-block check. */
export const hostBlock = {
  maxMs: 0, where: '', samples: 0, counts: {} as Record<string, number>,
  reset(): void { this.maxMs = 0; this.where = ''; this.samples = 0; this.counts = {}; },
};
function timed<T>(where: string, fn: () => T): T {
  const t0 = performance.now();
  try { return fn(); } finally {
    const ms = performance.now() - t0;
    hostBlock.samples++;
    hostBlock.counts[where] = (hostBlock.counts[where] ?? 0) + 1;
    if (ms > hostBlock.maxMs) { hostBlock.maxMs = ms; hostBlock.where = where; }
  }
}
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
  private view: InspectorRun | undefined;
  /** the latest run asked for its timeline */
  private shown: DocumentRun | undefined;
  /** the run on screen (`view`): its id names it in every question about it */
  private viewRun: DocumentRun | undefined;
  /** bumped per step selection: an older step's detail is dropped */
  private stepToken = 0;
  private selected = 0;
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
    private readonly onDispose: (p: InspectorPanel) => void, private readonly runs: ServerRuns, selected = 0) {
    this.selected = selected;
    const roots = [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
    panel.webview.options = { enableScripts: true, localResourceRoots: roots };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'inspector.svg');
    panel.title = `Inspector: ${uri.path.split('/').pop()}`;
    panel.webview.html = this.html();
    const mine = (u: vscode.Uri) => u.toString() === this.uri.toString();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => timed('webview message', () => {
        const msg = validateFromWebview(m);
        if (msg) this.onMessage(msg);
      })),
      vscode.workspace.onDidChangeTextDocument((e) => { if (mine(e.document.uri) && e.contentChanges.length) panelMarks.mark(0); }),
      runs.onDidStart((e) => { if (mine(e.uri) && e.big) this.status('Running the scenario…', true); }),
      runs.onDidRun((r) => timed('run published', () => { if (mine(r.uri)) this.show(r); })),
      vscode.window.onDidChangeTextEditorSelection((e) => timed('cursor', () => {
        if (mine(e.textEditor.document.uri)) this.onCursor(e.selections[0].active.line);
      })),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorate()),
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
  /** the status line the webview shows (posted only when it changes: a keystroke's run leaves it empty) */
  private statusShown: { text: string; busy: boolean } | undefined;
  private status(text: string, busy: boolean): void {
    if (this.statusShown?.text === text && this.statusShown.busy === busy) return;
    this.statusShown = { text, busy };
    this.post({ type: Msg.Status, text, busy });
  }
  private kernelVerdicts: KernelVerdictsMessage | undefined;
  /** show real-kernel verdicts in the timeline (kept, and sent again when the webview reloads) */
  postKernelVerdicts(m: KernelVerdictsMessage): void { this.kernelVerdicts = m; this.post(m); }

  private document(): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
  }

  /** Asks the document's scenario service about the run on screen; undefined when that run is gone. */
  private async ask(query: InspectorQuery, run = this.viewRun): Promise<InspectorAnswer | undefined> {
    if (!run) return undefined;
    try {
      return await this.runs.inspect(run, query);
    } catch (e) {
      return { q: 'none', reason: (e as Error).message };
    }
  }

  /** Shows the current version's run (first render, reload). */
  async refresh(): Promise<void> {
    let doc = this.document();
    if (!doc) {
      try { doc = await vscode.workspace.openTextDocument(this.uri); } catch {
        this.status(`Cannot open ${this.uri.fsPath}`, false);
        return;
      }
    }
    const r = await this.runs.current(doc);
    if (r && r !== this.shown) this.show(r);
    else if (r && this.view) { this.postRun(); this.sendStep(); } // the webview reloaded
  }

  private postRun(): void {
    if (this.view) this.post({ type: Msg.Run, run: this.view, selected: this.selected, uri: this.uri.toString(), file: this.uri.path.split('/').pop() ?? '', kernels: offeredVersions() });
  }

  /**
   * A run of the document was published: ask for its timeline and the selected step's detail
   * (one question to the server) and show both (two messages posted together, one frame).
   */
  private show(r: DocumentRun): void {
    panelMarks.mark(1);
    this.shown = r;
    const token = this.stepToken; // a step asked meanwhile (the user chose one) wins over the detail this brings
    void this.ask({ q: 'run', step: this.selected }, r).then((a) => timed('run answer', () => {
      if (this.shown !== r || !a) return; // a newer run replaced it
      if (a.q !== 'run') {
        this.status(`The scenario could not run: ${a.q === 'none' ? a.reason : a.q}`, false);
        return;
      }
      this.view = { ...a.run, runId: r.runId };
      this.viewRun = r;
      this.selected = Math.min(this.selected, Math.max(0, this.view.rows.length - 1));
      this.postRun();
      panelMarks.mark(2);
      this.status('', false);
      // the detail came with the timeline unless the user chose another step meanwhile
      // (counted as a step answer, as a detail asked apart is: the host-block test and the stats read it so)
      const detail = a.detail;
      if (detail && detail.step === this.selected && token === this.stepToken) {
        timed('step answer', () => this.postStep(r.runId, detail));
      } else this.sendStep();
      if (this.compareKernel) this.sendCompare();
      this.decorate();
    }));
  }

  private sendStep(): void {
    const view = this.view;
    if (!view || !view.rows.length) return;
    const step = this.selected, token = ++this.stepToken;
    void this.ask({ q: 'step', step }).then((a) => timed('step answer', () => {
      if (this.view !== view || token !== this.stepToken || a?.q !== 'step') return;
      this.postStep(view.runId, a.detail);
    }));
  }

  private postStep(runId: number, detail: StepDetail): void {
    this.post({ type: Msg.Step, runId, detail });
    panelMarks.mark(3);
  }

  private onMessage(m: FromWebview): void {
    switch (m.type) {
      case Msg.Ready:
        this.statusShown = undefined; // a new webview shows no status yet
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
        const view = this.view;
        if (!view || m.step >= view.rows.length) return;
        const count = Math.min(m.count, MAX_PTE_PAGE);
        void this.ask({ q: 'ptes', step: m.step, filter: m.filter, offset: m.offset, count }).then((a) => timed('ptes answer', () => {
          if (this.view !== view || a?.q !== 'ptes') return;
          this.post({ type: Msg.Ptes, runId: view.runId, requestId: m.requestId, step: m.step, offset: m.offset, total: a.total, rows: a.rows });
        }));
        return;
      }
      case Msg.RequestCompare:
        this.compareKernel = m.kernel;
        this.sendCompare();
        return;
    }
  }

  private sendCompare(): void {
    const view = this.view, kernel = this.compareKernel;
    if (!view || !kernel) return;
    void this.ask({ q: 'compare', kernel }).then((a) => timed('compare answer', () => {
      if (this.view !== view || this.compareKernel !== kernel || a?.q !== 'compare') return;
      this.post({ type: Msg.Compare, runId: view.runId, kernel: a.kernel, base: a.base, rows: a.rows });
    }));
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
    this.decoration.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposables = [];
    this.onDispose(this);
  }
}

/** Registers the inspector commands and the panel serializer; extension.ts pushes the result. */
export function registerInspector(context: vscode.ExtensionContext, runs: ServerRuns): vscode.Disposable[] {
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
    track(new InspectorPanel(panel, uri, context.extensionUri, remove, runs));
  };

  const serializer: vscode.WebviewPanelSerializer = {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      const s = state as { uri?: unknown; selected?: unknown } | undefined;
      const uriStr = s && typeof s.uri === 'string' ? s.uri : undefined;
      if (!uriStr) { panel.dispose(); return; }
      let uri: vscode.Uri;
      try { uri = vscode.Uri.parse(uriStr, true); } catch { panel.dispose(); return; }
      const sel = typeof s?.selected === 'number' && Number.isInteger(s.selected) && s.selected >= 0 ? s.selected : 0;
      track(new InspectorPanel(panel, uri, context.extensionUri, remove, runs, sel));
    },
  };

  return [
    vscode.commands.registerCommand('mmscope.openInspector', open),
    vscode.commands.registerCommand('mmscope.inspector.next', () => timed('next step', () => current()?.step(1))),
    vscode.commands.registerCommand('mmscope.inspector.previous', () => timed('previous step', () => current()?.step(-1))),
    // internal (src/extension/realKernel.ts): per-statement real-kernel verdicts for a scenario's panel
    vscode.commands.registerCommand('mmscope.inspector.kernelVerdicts', (uri: string, m: KernelVerdictsMessage) => {
      const p = panels.get(uri);
      if (p) p.postKernelVerdicts(m);
      return !!p;
    }),
    vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, serializer),
    // internal: the longest synchronous block of the panel's host-side handlers (e2e host-block check)
    vscode.commands.registerCommand('mmscope.inspector.hostBlock', (reset?: boolean) => {
      const r = { maxMs: hostBlock.maxMs, where: hostBlock.where, samples: hostBlock.samples, counts: { ...hostBlock.counts } };
      if (reset) hostBlock.reset();
      return r;
    }),
    { dispose: () => { for (const p of [...panels.values()]) p.panel.dispose(); } },
  ];
}
