// "MM Scope: Run on a Real Kernel" (mmscope.runOnRealKernel): runs `mmscope kernel --json
// FILE` (dist/cli.js, the CLI's own code path) in a child process, with a progress
// notification that can cancel it; shows the comparison table in an output channel and
// sends the per-statement verdicts to the scenario's inspector panel, if one is open.
// Node extension host only (extension.node.ts); the browser entry registers a stand-in.
import * as childProcess from 'node:child_process';
import * as vscode from 'vscode';
import type { KernelReport } from '../oracle/kernelCommand';
import { formatComparison, summaryLine, type StepComparison } from '../oracle/compare';
import type { KernelVerdict, KernelVerdictsMessage } from '../shared/protocol';
import { Msg } from '../shared/protocol';

/** The short text of a verdict for a timeline row. */
export function verdictText(s: StepComparison): string {
  if (s.verdict === 'differ') {
    return s.values.filter((v) => v.verdict === 'differ')
      .map((v) => `${v.field === 'pages' ? v.subject : `${v.field} ${v.subject}`}: engine ${v.engine}, kernel ${v.kernel}`).join('; ');
  }
  if (s.verdict === 'not-observable') return s.reason ?? s.values.find((v) => v.reason)?.reason ?? '';
  return s.values.filter((v) => v.field !== 'pages').map((v) => `${v.field} ${v.subject === 'expect' ? '' : v.subject} ${v.kernel}`.replace(/\s+/g, ' ').trim()).join('; ');
}

export function registerRealKernel(context: vscode.ExtensionContext): vscode.Disposable[] {
  const output = vscode.window.createOutputChannel('MM Scope: Real Kernel');
  const run = async (arg?: vscode.Uri) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri || !uri.fsPath.endsWith('.mms') || uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('Open a .mms scenario file first, then run "MM Scope: Run on a Real Kernel".');
      return;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) await doc.save();
    const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
    const result = await vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification, cancellable: true,
      title: `MM Scope: running ${vscode.workspace.asRelativePath(uri)} on a real kernel (QEMU, about a minute)`,
    }, (_progress, token) => new Promise<{ code: number | null; out: string; err: string; cancelled: boolean }>((resolve) => {
      // its own process group, so that a cancel also ends QEMU
      const child = childProcess.spawn(process.execPath, [cli, 'kernel', '--json', uri.fsPath], {
        cwd: context.extensionUri.fsPath, detached: true, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '', err = '', cancelled = false;
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      token.onCancellationRequested(() => {
        cancelled = true;
        try { if (child.pid) process.kill(-child.pid, 'SIGTERM'); } catch { child.kill('SIGTERM'); }
      });
      child.on('error', (e) => resolve({ code: 2, out, err: err + String(e), cancelled }));
      child.on('close', (code) => resolve({ code, out, err, cancelled }));
    }));
    if (result.cancelled) { output.appendLine('cancelled'); return; }
    let report: KernelReport | undefined;
    try { report = JSON.parse(result.out) as KernelReport; } catch { report = undefined; }
    output.clear();
    if (!report) {
      output.appendLine(result.err.trim() || `mmscope kernel exited with ${result.code}`);
      output.show(true);
      void vscode.window.showErrorMessage(`MM Scope: the real-kernel run failed: ${result.err.trim().split('\n').slice(-2).join(' ') || `exit ${result.code}`}`);
      return;
    }
    output.appendLine(`real kernel ${report.kernel.release} (HZ=${report.kernel.hz}, fb delay ${report.kernel.fbDelayMs} ms), QEMU/TCG, ${(report.timing.totalMs / 1000).toFixed(1)} s`);
    for (const f of report.files) {
      for (const n of f.notes) output.appendLine(`note: ${n}`);
      for (const l of formatComparison(f)) output.appendLine(l);
      output.appendLine(summaryLine({ ...f, name: f.file }));
    }
    output.show(true);
    const f = report.files[0];
    if (f) {
      const verdicts: KernelVerdict[] = f.steps.map((s) => ({ line: s.line - 1, verdict: s.verdict, text: verdictText(s) }));
      const m: KernelVerdictsMessage = { type: Msg.KernelVerdicts, release: report.kernel.release, verdicts };
      try { await vscode.commands.executeCommand('mmscope.inspector.kernelVerdicts', uri.toString(), m); } catch { /* no inspector in this build */ }
      const msg = `Real kernel ${report.kernel.release}: ${f.summary.agree} agree, ${f.summary.differ} differ, ${f.summary.notObservable} not observable`;
      if (f.summary.differ) void vscode.window.showWarningMessage(msg); else void vscode.window.showInformationMessage(msg);
    }
  };
  return [output, vscode.commands.registerCommand('mmscope.runOnRealKernel', run)];
}
