// The custom requests of protocol.ts, for what only VS Code shows: the run of a document's
// current version (Check, the inspector's first render), the inspector's questions about a
// run by its id, a one-off run of a closed file (Check Workspace, a test run), the Testing
// items of a text, and the responsiveness stats.

import type { Connection } from 'vscode-languageserver';
import type { Backend } from '../service/backend';
import { stats } from '../service/stats';
import { needsWorker, staticInfo, type EditorRunOptions, type StaticInfo } from '../views/summary';
import { check } from '../language/checker';
import { parse } from '../language/parser';
import type { DocumentRuns } from './documentRuns';
import {
  CurrentRun, Inspect, RunOnce, StaticInfoRequest, StatsRequest,
  type CurrentRunParams, type CurrentRunResult, type InspectParams, type InspectResult, type RunOnceParams, type RunOnceResult,
  type StaticInfoParams, type StaticInfoResult, type StatsParams, type StatsResult,
} from './protocol';

export function registerCustom(connection: Connection, runs: DocumentRuns, backend: Backend, opts: () => EditorRunOptions): void {
  connection.onRequest(CurrentRun, async (p: CurrentRunParams): Promise<CurrentRunResult> => {
    const r = await runs.current(p.uri);
    return r ? { uri: r.uri, version: r.version, runId: r.runId, opts: r.opts, summary: r.summary } : null;
  });

  connection.onRequest(Inspect, async (p: InspectParams): Promise<InspectResult> => {
    try {
      const a = await backend.inspect(p.uri, p.runId, p.query);
      return a === 'stale' || !a ? null : a;
    } catch (e) {
      return { q: 'none', reason: (e as Error).message };
    }
  });

  connection.onRequest(RunOnce, async (p: RunOnceParams): Promise<RunOnceResult> =>
    (await backend.run(p.key, 0, p.text, opts(), { oneShot: true })) ?? null);

  // cached per key and text: a document's items are asked again after each of its runs
  const statics = new Map<string, { text: string; optsKey: string; info: StaticInfo }>();
  connection.onRequest(StaticInfoRequest, async (p: StaticInfoParams): Promise<StaticInfoResult> => {
    const o = opts(), optsKey = JSON.stringify(o);
    const c = statics.get(p.key);
    if (c && c.text === p.text && c.optsKey === optsKey) return c.info;
    let info: StaticInfo | undefined;
    if (!needsWorker(p.text)) {
      const { scenario } = parse(p.text);
      info = staticInfo(scenario, check(scenario, o), p.text);
    } else {
      info = await backend.staticInfo(p.key, p.text, o); // off this thread: the server keeps answering
      if (!info) return null;
    }
    statics.set(p.key, { text: p.text, optsKey, info });
    return info;
  });

  connection.onRequest(StatsRequest, (p: StatsParams): StatsResult => {
    const { enabled: _e, ...out } = { ...stats, edits: [...stats.edits] };
    if (p?.reset) stats.reset();
    return out;
  });
}
