// The typed, tagged protocol between the extension host and a document's scenario service
// (a worker thread in the node extension host, the same code inline in the browser one).
// A run is named by the host's run id: later questions (inspector, hover) name the run they
// are about, and the service answers `stale` when it holds another one, instead of running
// the text again. No text comparison decides anything.

import type { InspectorAnswer, InspectorQuery } from '../views/inspectorService';
import type { EditorRunOptions, RunSummary, StaticInfo } from '../views/summary';

export type ServiceRequest =
  | { type: 'run'; id: number; runId: number; text: string; opts: EditorRunOptions }
  | { type: 'inspect'; id: number; runId: number; query: InspectorQuery }
  | { type: 'hover'; id: number; runId: number; line: number; character: number }
  | { type: 'static'; id: number; text: string; opts: EditorRunOptions };

export type ServiceReply =
  | { type: 'run'; id: number; runId: number; summary: RunSummary }
  | { type: 'inspect'; id: number; answer: InspectorAnswer }
  | { type: 'hover'; id: number; markdown: string | undefined }
  | { type: 'static'; id: number; info: StaticInfo }
  /** the service holds another run than the one the request names */
  | { type: 'stale'; id: number }
  | { type: 'error'; id: number; error: string };
