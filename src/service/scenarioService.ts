// One document's scenario service: it runs the text it is given and keeps that run, under
// the host's run id, to answer the inspector's and the hover's questions about it. Pure (no
// VS Code, no worker_threads): src/service/worker.ts serves it on a worker thread, the web
// extension calls it inline.

import { parse } from '../language/parser';
import { check } from '../language/checker';
import { runText, type RunResult } from '../scenario/run';
import { hoverAt } from '../views/hover';
import { InspectorSession } from '../views/inspectorService';
import { staticInfo, summarize, type EditorRunOptions } from '../views/summary';
import type { ServiceReply, ServiceRequest } from './protocol';

interface HeldRun { runId: number; text: string; opts: EditorRunOptions; result: RunResult; session?: InspectorSession }

export class ScenarioService {
  private held: HeldRun | undefined;

  /** The run it holds (Export Trace in the web extension). */
  get run(): RunResult | undefined { return this.held?.result; }

  handle(req: ServiceRequest): ServiceReply {
    try {
      switch (req.type) {
        case 'run': {
          const t0 = Date.now();
          const result = runText(req.text, req.opts);
          const ms = Date.now() - t0;
          this.held = { runId: req.runId, text: req.text, opts: req.opts, result };
          return { type: 'run', id: req.id, runId: req.runId, summary: summarize(result, ms, req.text) };
        }
        case 'static': {
          const { scenario } = parse(req.text);
          return { type: 'static', id: req.id, info: staticInfo(scenario, check(scenario, { limits: req.opts.limits, defaultKernel: req.opts.defaultKernel }), req.text) };
        }
        case 'hover': {
          const h = this.held;
          if (!h || h.runId !== req.runId) return { type: 'stale', id: req.id };
          return { type: 'hover', id: req.id, markdown: hoverAt(h.result, req.line, req.character) };
        }
        case 'inspect': {
          const h = this.held;
          if (!h || h.runId !== req.runId) return { type: 'stale', id: req.id };
          h.session ??= new InspectorSession(h.result, h.text, h.opts);
          return { type: 'inspect', id: req.id, answer: h.session.answer(req.query) };
        }
      }
    } catch (e) {
      return { type: 'error', id: req.id, error: (e as Error).message };
    }
  }
}
