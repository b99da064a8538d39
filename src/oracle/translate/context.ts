// One statement's translation: the step record it fills and the C it emits. An emitter
// (emitters/) gets a StepContext and returns OBSERVE when the guest should then record
// what the statement touched (observe.ts), or nothing when the step is complete.

import type { Statement, StatementKind } from '../../language/ast';
import type { OracleModel } from './model';
import type { NotObservable, OracleStep, TranslateOptions } from './types';

export const OBSERVE = 'observe';
export type EmitResult = typeof OBSERVE | undefined;

type StatementOf = { [S in Statement as S['kind']]: S };
export type Emitter<K extends StatementKind> = (st: StatementOf[K], cx: StepContext) => EmitResult;
/**
 * The translation of every statement kind (total: a new kind does not compile until it
 * says how the oracle realises it, or that it has no user-space trigger: noCounterpart).
 */
export type EmitterTable = { [K in StatementKind]: Emitter<K> };

/** the generated C, in pieces */
export interface Emission {
  /** `case K:` code that runs inside a process */
  stepCases: string[];
  /** straight-line driver code */
  driver: string[];
  notObservable: NotObservable[];
}

export class StepContext {
  readonly line: number;
  /** a C comment naming the statement */
  readonly cmt: string;

  constructor(
    readonly st: Statement,
    readonly k: number,
    readonly step: OracleStep,
    readonly model: OracleModel,
    readonly out: Emission,
    readonly opts: TranslateOptions,
  ) {
    this.line = st.range.start.line;
    this.cmt = `/* L${this.line + 1} ${st.kind} */`;
  }

  /** the statement is not observable on a real kernel, for this reason */
  no(reason: string): EmitResult {
    this.step.observable = 'no';
    this.step.reason = reason;
    this.out.notObservable.push({ index: this.k, line: this.line, kind: this.st.kind, reason });
    return undefined;
  }

  /** the statement is observable only in part */
  partly(reason: string): void {
    if (this.step.observable === 'yes') this.step.observable = 'partial';
    this.step.reason = this.step.reason ? `${this.step.reason}; ${reason}` : reason;
  }

  /** record afterwards every live, realised mapping of these objects (OracleMapping.objKey) */
  touch(keys: Set<string>): void {
    this.step.snapshots.push(...this.model.snapshotsOf(this.model.mapsOfKeys(keys)));
  }

  /** run `code` in process `pname` (lock-step); false (and not observable) when it is gone */
  inProc(pname: string, code: string): boolean {
    const p = this.model.liveProc(pname);
    if (!p) { this.no(`process ${pname} does not exist (or has exited)`); return false; }
    this.step.runsIn = pname;
    this.out.stepCases.push(`  case ${this.k}: ${this.cmt} ${code} break;`);
    this.out.driver.push(`  o_step(${this.k}, ${this.line}); o_run(${this.k}, ${this.model.procIndex(pname)});`);
    return true;
  }

  /** the driver does this step itself: `code` after the step marker */
  inDriver(code: string): void {
    this.step.runsIn = 'driver';
    this.out.driver.push(`  o_step(${this.k}, ${this.line}); ${code}${code ? ' ' : ''}${this.cmt}`);
  }

  /** `no` for a process that does not exist (or has exited) */
  noProc(name: string): EmitResult {
    return this.no(`process ${name} does not exist (or has exited)`);
  }
}
