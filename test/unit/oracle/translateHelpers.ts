// Shared by the oracle translator tests: translate a scenario text, pick a step by kind.

import { parse } from '../../../src/language/parser';
import { translateScenario, type OracleTranslation } from '../../../src/oracle/translate';

export function tr(text: string): OracleTranslation {
  const { scenario } = parse(text);
  return translateScenario(scenario, { name: 'test' });
}

/** The nth translated step of that statement kind. */
export const stepAt = (t: OracleTranslation, kind: string, nth = 0) => t.steps.filter(s => s.kind === kind)[nth];
