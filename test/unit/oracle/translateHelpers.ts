// Shared by the oracle translator tests: translate a scenario text, pick a step by kind.

import { parse } from '../../../src/language/parser';
import { translateScenario, type OracleTranslation } from '../../../src/oracle/translate';
import type { TranslateOptions } from '../../../src/oracle/translate/types';

export function tr(text: string, opts: Omit<TranslateOptions, 'name'> = {}): OracleTranslation {
  const { scenario } = parse(text);
  return translateScenario(scenario, { name: 'test', ...opts });
}

/** The nth translated step of that statement kind. */
export const stepAt = (t: OracleTranslation, kind: string, nth = 0) => t.steps.filter(s => s.kind === kind)[nth];
