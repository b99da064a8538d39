// Parse + check of open documents on the host, for the providers that need names right
// away (completion, definition, references, rename), cached per document version; and the
// Testing items and outline of any text (StaticInfo), computed on the host for a small text
// and by the backend (off the host's thread) for a big one, cached per key and text.

import * as vscode from 'vscode';
import { parse } from '../language/parser';
import { check, type CheckResult } from '../language/checker';
import { needsWorker, staticInfo, type EditorRunOptions, type StaticInfo } from '../views/summary';
import type { Backend } from './backend';
import { readSettings } from './settings';

export class DocumentChecks implements vscode.Disposable {
  private readonly checks = new Map<string, { version: number; result: CheckResult }>();
  private readonly statics = new Map<string, { text: string; optsKey: string; info: StaticInfo }>();
  private readonly sub: vscode.Disposable;

  constructor(private readonly backend: Backend) {
    this.sub = vscode.workspace.onDidCloseTextDocument((d) => { this.checks.delete(d.uri.toString()); this.statics.delete(d.uri.toString()); });
  }

  /** parse + check only (fast), cached per document version */
  checkDocument(doc: vscode.TextDocument): CheckResult {
    const key = doc.uri.toString();
    const c = this.checks.get(key);
    if (c && c.version === doc.version) return c.result;
    const s = readSettings(doc.uri);
    const result = check(parse(doc.getText()).scenario, { defaultKernel: s.defaultKernel, limits: s.limits });
    this.checks.set(key, { version: doc.version, result });
    return result;
  }

  /**
   * The Testing items and outline of `text`: inline for a small text, on the backend for a
   * big one, so the host never parses it. Undefined when a newer request
   * for the same key superseded this one.
   */
  async staticInfo(key: string, text: string, opts: EditorRunOptions): Promise<StaticInfo | undefined> {
    const optsKey = JSON.stringify(opts);
    const c = this.statics.get(key);
    if (c && c.text === text && c.optsKey === optsKey) return c.info;
    let info: StaticInfo | undefined;
    if (!needsWorker(text)) {
      const { scenario } = parse(text);
      info = staticInfo(scenario, check(scenario, { defaultKernel: opts.defaultKernel, limits: opts.limits }), text);
    } else {
      info = await this.backend.staticInfo(key, text, opts);
      if (!info) return undefined;
    }
    this.statics.set(key, { text, optsKey, info });
    return info;
  }

  dispose(): void { this.sub.dispose(); this.checks.clear(); this.statics.clear(); }
}
