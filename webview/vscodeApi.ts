// The webview side of the host channel: typed postMessage and persisted view state.

import { Msg, type FromWebview } from '../src/shared/protocol';
import type { PteFilter } from '../src/shared/inspectorView';

export interface ViewState { uri?: string; selected: number; tab: string; filter: PteFilter; scrollTop: number; compare: string }

interface VsCodeApi { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function post(m: FromWebview): void { api.postMessage(m); }

export const DEFAULT_STATE: ViewState = { selected: 0, tab: 'spaces', filter: {}, scrollTop: 0, compare: '' };

export function loadState(): ViewState {
  const s = api.getState() as Partial<ViewState> | undefined;
  return { ...DEFAULT_STATE, ...(s && typeof s === 'object' ? s : {}) };
}
export function saveState(s: ViewState): void { api.setState(s); }
export { Msg };
