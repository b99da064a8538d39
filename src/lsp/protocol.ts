// The language server's custom requests and notifications, shared by the server
// (src/lsp/server.ts) and the VS Code client (src/extension/client.ts): what only VS Code
// shows (the Testing view, the inspector panel, Check Workspace, the responsiveness stats)
// asks the server, which owns the one run per document version. Method names and payload
// types only: no runtime dependency on either side's library.

import type { InspectorAnswer, InspectorQuery } from '../views/inspectorService';
import type { EditorRunOptions, RunSummary, StaticInfo } from '../views/summary';
import type { Stats } from '../service/stats';

/** What the client passes in `initializationOptions` (all optional: Neovim and Emacs pass at most kernel and updateDelay). */
export interface InitOptions {
  /** kernel release when a scenario has no `kernel` line */
  kernel?: string;
  /** ms after the last change before a big or slow document runs */
  updateDelay?: number;
  limits?: EditorRunOptions['limits'];
  /** the client shows the run notifications, the VS Code lenses (with commands and icons) and asks for stats */
  vscode?: boolean;
  /** keep the responsiveness stats (mmscope/stats) */
  stats?: boolean;
}

/** The settings section the client sends with workspace/didChangeConfiguration (`settings.mmscope`). */
export interface Settings { kernel?: { defaultVersion?: string }; updateDelay?: number; limits?: EditorRunOptions['limits'] }

/** server → client: a document's run of its current version was published (the diagnostics' run). */
export const DidRun = 'mmscope/didRun';
export interface DidRunParams { uri: string; version: number; runId: number; opts: EditorRunOptions; summary: RunSummary }

/** server → client: a run of a big document started (the panel says "Running…"); a cheap run, one per keystroke, is not announced. */
export const DidStart = 'mmscope/didStart';
export interface DidStartParams { uri: string; big: boolean }

/** client → server: the run of the open document's current version (`version`), waiting for it if needed. */
export const CurrentRun = 'mmscope/currentRun';
export interface CurrentRunParams { uri: string; version: number }
export type CurrentRunResult = DidRunParams | null;

/** client → server: a question about run `runId` of an open document; null when that run was replaced. */
export const Inspect = 'mmscope/inspect';
export interface InspectParams { uri: string; runId: number; query: InspectorQuery }
export type InspectResult = InspectorAnswer | null;

/** client → server: run a text once (a closed file of Check Workspace or a test run), held nowhere. */
export const RunOnce = 'mmscope/runOnce';
export interface RunOnceParams { key: string; text: string; uri: string }
export type RunOnceResult = RunSummary | null;

/** client → server: the Testing items and outline of a text (null when a newer request for `key` replaced it). */
export const StaticInfoRequest = 'mmscope/staticInfo';
export interface StaticInfoParams { key: string; text: string; uri: string }
export type StaticInfoResult = StaticInfo | null;

/** client → server: the server's responsiveness stats (reset after reading when `reset`). */
export const StatsRequest = 'mmscope/stats';
export interface StatsParams { reset?: boolean }
export type StatsResult = Omit<Stats, 'recordInlineRun' | 'recordWorkerRun' | 'reset' | 'enabled'>;
