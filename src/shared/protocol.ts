// The typed message protocol between the extension host (inspectorPanel.ts) and the
// inspector webview (webview/main.ts). Both sides import this file; the webview bundle
// only uses the types, the const enum (inlined) and nothing else.
//
// Data flows compactly and incrementally: the timeline is sent once per run, the detail
// of one step when the user selects it, PTE rows a page at a time on request.

import type { InspectorRun, StepDetail, PteFilter, PteRow, CompareRow } from './inspectorView';
export type { InspectorRun, StepDetail, PteFilter, PteRow, CompareRow };

export const enum Msg {
  // ---- to webview -------------------------------------------------------------------
  /** a new run of the scenario: timeline and names (replaces the previous run) */
  Run = 'run',
  /** the detail of one step (address spaces, objects, walks) */
  Step = 'step',
  /** one page of PTE rows for a request */
  Ptes = 'ptes',
  /** the editor cursor moved onto a statement: select that step */
  Select = 'select',
  /** the comparison with another kernel version */
  Compare = 'compare',
  /** the scenario cannot be shown (parse error everywhere, too big, closed document) */
  Status = 'status',
  /** per-statement verdicts of a run on a real kernel (MM Scope: Run on a Real Kernel) */
  KernelVerdicts = 'kernelVerdicts',

  // ---- from webview -----------------------------------------------------------------
  /** the webview loaded and wants the current run */
  Ready = 'ready',
  /** the user selected a step (keyboard or click) */
  SelectStep = 'selectStep',
  /** the user wants the source line of a step revealed */
  RevealLine = 'revealLine',
  /** a page of PTE rows */
  RequestPtes = 'requestPtes',
  /** run the scenario as another kernel version and compare ('' turns it off) */
  RequestCompare = 'requestCompare',
}

// ---- to webview ---------------------------------------------------------------------

export interface RunMessage {
  type: Msg.Run; run: InspectorRun; selected: number; /** the scenario document, kept in the webview state for the serializer */ uri: string; file: string;
  /** the kernel versions the compare list offers (the host reads them from engine/versions.ts) */
  kernels: string[];
}
export interface StepMessage { type: Msg.Step; runId: number; detail: StepDetail }
export interface PtesMessage {
  type: Msg.Ptes; runId: number; requestId: number; step: number; offset: number; total: number; rows: PteRow[];
}
export interface SelectMessage { type: Msg.Select; step: number }
export interface CompareMessage { type: Msg.Compare; runId: number; kernel: string; base: string; rows: CompareRow[] }
export interface StatusMessage { type: Msg.Status; text: string; busy: boolean }
/** One marker per timeline row, keyed by 0-based source line (`mmscope kernel --json`). */
export interface KernelVerdict { line: number; verdict: 'agree' | 'differ' | 'not-observable'; text: string }
export interface KernelVerdictsMessage { type: Msg.KernelVerdicts; release: string; verdicts: KernelVerdict[] }

export type ToWebview = RunMessage | StepMessage | PtesMessage | SelectMessage | CompareMessage | StatusMessage | KernelVerdictsMessage;

// ---- from webview -------------------------------------------------------------------

export interface ReadyMessage { type: Msg.Ready; selected?: number }
export interface SelectStepMessage { type: Msg.SelectStep; step: number }
export interface RevealLineMessage { type: Msg.RevealLine; step: number }
export interface RequestPtesMessage {
  type: Msg.RequestPtes; requestId: number; step: number; filter: PteFilter; offset: number; count: number;
}
export interface RequestCompareMessage { type: Msg.RequestCompare; kernel: string }

export type FromWebview = ReadyMessage | SelectStepMessage | RevealLineMessage | RequestPtesMessage | RequestCompareMessage;

/** Largest page of PTE rows the extension answers. */
export const MAX_PTE_PAGE = 500;

// ---- validation of messages from the webview (never trust the other side) ---------

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown, max = 1e9): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
const isShortStr = (v: unknown, max = 64): v is string => typeof v === 'string' && v.length <= max;

export function isPteFilter(v: unknown): v is PteFilter {
  if (!isObj(v)) return false;
  if (v.proc !== undefined && !isShortStr(v.proc, 256)) return false;
  if (v.object !== undefined && !isShortStr(v.object, 256)) return false;
  if (v.changed !== undefined && typeof v.changed !== 'boolean') return false;
  if (v.sort !== undefined && v.sort !== 'addr' && v.sort !== 'pfn' && v.sort !== 'proc') return false;
  if (v.desc !== undefined && typeof v.desc !== 'boolean') return false;
  return true;
}

/** The message if it is a well-formed message from the webview, else undefined. */
export function validateFromWebview(v: unknown): FromWebview | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case Msg.Ready:
      return v.selected === undefined || isIndex(v.selected) ? { type: Msg.Ready, selected: v.selected as number | undefined } : undefined;
    case Msg.SelectStep:
      return isIndex(v.step) ? { type: Msg.SelectStep, step: v.step } : undefined;
    case Msg.RevealLine:
      return isIndex(v.step) ? { type: Msg.RevealLine, step: v.step } : undefined;
    case Msg.RequestPtes:
      if (!isIndex(v.requestId) || !isIndex(v.step) || !isIndex(v.offset) || !isIndex(v.count, MAX_PTE_PAGE) || !isPteFilter(v.filter)) return undefined;
      return {
        type: Msg.RequestPtes, requestId: v.requestId, step: v.step, offset: v.offset, count: v.count,
        filter: { proc: v.filter.proc, object: v.filter.object, changed: v.filter.changed, sort: v.filter.sort, desc: v.filter.desc },
      };
    case Msg.RequestCompare:
      return isShortStr(v.kernel, 8) && (v.kernel === '' || /^\d{1,2}\.\d{1,3}$/.test(v.kernel))
        ? { type: Msg.RequestCompare, kernel: v.kernel } : undefined;
    default:
      return undefined;
  }
}
