// The extension's settings (contributes.configuration in package.json), read fresh each time.
import * as vscode from 'vscode';
import type { Limits } from '../language/limits';
import type { EditorRunOptions } from '../views/summary';

export interface Settings {
  defaultKernel: string;
  updateDelay: number;
  limits: Partial<Limits>;
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration('mmscope', scope);
  const num = (k: string) => { const v = c.get<number>(k); return typeof v === 'number' && v > 0 ? v : undefined; };
  return {
    defaultKernel: c.get<string>('kernel.defaultVersion') || '6.15',
    updateDelay: Math.max(0, c.get<number>('updateDelay') ?? 300),
    limits: { maxPagesPerObject: num('limits.maxPagesPerObject'), maxEvents: num('limits.maxEvents'), maxRunMs: num('limits.maxRunMs') },
  };
}

export function runOptions(s: Settings): EditorRunOptions {
  return { defaultKernel: s.defaultKernel, limits: s.limits };
}
