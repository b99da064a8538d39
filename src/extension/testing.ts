// The Testing view: every .mms in the workspace with expectations is a test item, its
// expectations are the children (label = the expectation's text, range = its line). Run
// and continuous run; a failure shows expected/actual at its line.

import * as vscode from 'vscode';
import { expectedActual, type RunSummary, type StaticInfo } from '../views/summary';
import type { Range } from '../language/ast';
import { toRange } from './convert';
import type { ServerRuns } from './serverRuns';

const decoder = new TextDecoder();

async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : decoder.decode(await vscode.workspace.fs.readFile(uri));
}


/** What one test run reported: the item ids by outcome (fired when the run ends). */
export interface ScenarioTestRunReport { continuous: boolean; passed: string[]; failed: string[]; errored: string[]; skipped: string[] }

export class ScenarioTests implements vscode.Disposable {
  readonly ctrl = vscode.tests.createTestController('mmscope', 'MM Scope scenarios');
  readonly runProfile: vscode.TestRunProfile;
  private readonly ended = new vscode.EventEmitter<ScenarioTestRunReport>();
  /** fires at the end of each run (also each re-run of a continuous run) */
  readonly onDidEndRun = this.ended.event;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly runs: ServerRuns) {
    this.ctrl.resolveHandler = async (item) => { if (!item) await this.discoverAll(); };
    this.ctrl.refreshHandler = async () => { await this.discoverAll(); };
    const run = this.ctrl.createRunProfile('Run', vscode.TestRunProfileKind.Run, (req, tok) => this.run(req, tok), true, undefined, true);
    this.runProfile = run;
    this.subs.push(run, this.ended);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.mms');
    this.subs.push(watcher,
      watcher.onDidCreate((u) => void this.updateFile(u)),
      watcher.onDidChange((u) => void this.updateFile(u)),
      watcher.onDidDelete((u) => this.ctrl.items.delete(u.toString())),
      runs.onDidRun((r) => void this.updateFile(r.uri, undefined, r.summary)),
    );
    this.continuousChange = new vscode.EventEmitter<vscode.Uri>();
    this.subs.push(this.continuousChange,
      vscode.workspace.onDidSaveTextDocument((d) => { if (d.languageId === 'mmscope') this.continuousChange.fire(d.uri); }),
      watcher.onDidChange((u) => this.continuousChange.fire(u)));
  }

  private readonly continuousChange: vscode.EventEmitter<vscode.Uri>;

  async discoverAll(): Promise<void> {
    const files = await vscode.workspace.findFiles('**/*.mms', '**/node_modules/**');
    await Promise.all(files.map((f) => this.updateFile(f)));
  }

  /**
   * (Re)builds the item of one file from its text; drops it when it has no expectations.
   * `info`: the expectations of that text when known (a diagnostics or test run's summary);
   * otherwise the language server finds them (mmscope/staticInfo; on a worker for a big document:
   * the host never parses it).
   */
  async updateFile(uri: vscode.Uri, text?: string, info?: Pick<StaticInfo, 'expectations'>): Promise<vscode.TestItem | undefined> {
    if (uri.scheme === 'git' || !uri.path.endsWith('.mms')) return undefined;
    if (!info) {
      let src = text;
      try { src ??= await readText(uri); } catch { this.ctrl.items.delete(uri.toString()); return undefined; }
      info = await this.runs.staticInfo(uri.toString(), uri, src);
      if (!info) return this.ctrl.items.get(uri.toString()); // stale: a newer text is on its way
    }
    const exps = info.expectations;
    if (!exps.length) { this.ctrl.items.delete(uri.toString()); return undefined; }
    let file = this.ctrl.items.get(uri.toString());
    if (!file) {
      file = this.ctrl.createTestItem(uri.toString(), uri.path.split('/').pop() ?? uri.path, uri);
      this.ctrl.items.add(file);
    }
    // In place: an item whose id (its line) is still there keeps its object, and only a label
    // or range that changed is set, so an edit sends the workbench the items it changed rather
    // than every expectation of the file again (each TestItem property set is one update).
    const old = new Map<string, vscode.TestItem>();
    file.children.forEach((c) => old.set(c.id, c));
    let sameIds = old.size === exps.length;
    const items = exps.map((e) => {
      const id = `${uri.toString()}#${e.line}`;
      let child = old.get(id);
      if (!child) { sameIds = false; child = this.ctrl.createTestItem(id, e.label, uri); }
      else if (child.label !== e.label) child.label = e.label;
      if (!sameRange(child.range, e.range)) child.range = toRange(e.range);
      return child;
    });
    if (!sameIds) file.children.replace(items);
    return file;
  }

  private async run(req: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    if (req.continuous) {
      const sub = this.continuousChange.event(async (uri) => {
        const item = this.ctrl.items.get(uri.toString()) ?? await this.updateFile(uri);
        if (!item) return;
        if (req.include && !req.include.some((i) => i === item || i.parent === item)) return;
        await this.runOnce(new vscode.TestRunRequest([item], req.exclude, req.profile, true), token);
      });
      token.onCancellationRequested(() => sub.dispose());
      await this.runOnce(req, token);
      return;
    }
    await this.runOnce(req, token);
  }

  private async runOnce(req: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    if (!req.include) await this.discoverAll();
    const run = this.ctrl.createTestRun(req);
    // files to run, with the children to report for each (all of them unless only some were asked)
    const files = new Map<vscode.TestItem, Set<vscode.TestItem> | undefined>();
    const include = req.include ?? [...iter(this.ctrl.items)];
    for (const item of include) {
      if (item.parent) {
        const set = files.get(item.parent) ?? new Set<vscode.TestItem>();
        if (files.get(item.parent) !== undefined || !files.has(item.parent)) { set.add(item); files.set(item.parent, set); }
      } else files.set(item, undefined);
    }
    const excluded = new Set(req.exclude ?? []);
    const report: ScenarioTestRunReport = { continuous: !!req.continuous, passed: [], failed: [], errored: [], skipped: [] };
    try {
      for (const [file, only] of files) {
        if (token.isCancellationRequested) break;
        if (excluded.has(file) || !file.uri) continue;
        const children = [...iter(file.children)].filter((c) => (!only || only.has(c)) && !excluded.has(c));
        children.forEach((c) => run.started(c));
        let text: string;
        try { text = await readText(file.uri); } catch (e) { run.errored(file, new vscode.TestMessage(`cannot read: ${(e as Error).message}`)); continue; }
        const summary = await this.runs.runOnce(`test:${file.uri.toString()}`, file.uri, text);
        if (!summary) { children.forEach((c) => { run.skipped(c); report.skipped.push(c.id); }); continue; }
        await this.updateFile(file.uri, text, summary);
        const fresh = [...iter(file.children)].filter((c) => children.some((o) => o.id === c.id));
        this.report(run, file, fresh, summary, report);
      }
    } finally {
      run.end();
      this.ended.fire(report);
    }
  }

  private report(run: vscode.TestRun, file: vscode.TestItem, children: vscode.TestItem[], s: RunSummary, out: ScenarioTestRunReport): void {
    const uri = file.uri!;
    const byLine = new Map(s.expectations.map((e) => [e.line, e]));
    const errors = s.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'MMS701');
    for (const c of children) {
      const line = c.range?.start.line ?? -1;
      const e = byLine.get(line);
      if (e?.ok === true) { run.passed(c); out.passed.push(c.id); } else if (e?.ok === false) {
        const ea = expectedActual(e.message ?? '');
        const msg = ea ? vscode.TestMessage.diff(e.message ?? '', ea[0], ea[1]) : new vscode.TestMessage(e.message ?? 'failed');
        msg.location = new vscode.Location(uri, c.range!);
        run.failed(c, msg);
        out.failed.push(c.id);
      } else if (errors.length) {
        const first = errors[0];
        const msg = new vscode.TestMessage(`not checked: line ${first.range.start.line + 1}: ${first.message} [${first.code}]`);
        msg.location = new vscode.Location(uri, toRange(first.range));
        run.errored(c, msg);
        out.errored.push(c.id);
      } else { run.skipped(c); out.skipped.push(c.id); }
    }
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.ctrl.dispose();
  }
}

function sameRange(a: vscode.Range | undefined, b: Range): boolean {
  return !!a && a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function* iter(c: vscode.TestItemCollection): Iterable<vscode.TestItem> {
  const out: vscode.TestItem[] = [];
  c.forEach((i) => out.push(i));
  yield* out;
}
