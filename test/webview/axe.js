'use strict';
// axe-core in a page or frame (playwright): its source is evaluated through the DevTools
// protocol, which the page's CSP does not govern, so the panel's strict CSP stays as it is.
// Shared by the webview tests (a11y.js) and the end-to-end suite in real VS Code.

const fs = require('node:fs');

const SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SEVERE = new Set(['serious', 'critical']);

/**
 * axe's violations in `target` (a playwright Page or Frame), and what it could not decide
 * ("incomplete": needs a person to review), with what is needed to read them.
 */
async function runAxe(target) {
  if (!(await target.evaluate(() => typeof window.axe === 'object'))) await target.evaluate(SOURCE);
  return target.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations', 'incomplete'] });
    const read = (vs) => vs.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })) }));
    return { violations: read(r.violations), incomplete: read(r.incomplete) };
  });
}

const severe = (violations) => violations.filter((v) => SEVERE.has(v.impact));

/** one line per violation and its first nodes, for an assertion message */
function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 3).map((n) => `      ${n.target}: ${n.summary.replace(/\s+/g, ' ')}`).join('\n')}`).join('\n    ');
}

module.exports = { runAxe, severe, describe, version: require('axe-core/package.json').version };
