'use strict';
// A fake VS Code for the inspector webview: serves dist/webview and media over http with
// the panel's CSP, defines acquireVsCodeApi, and answers the webview's messages from a
// recorded trace (or, for the perf test, synthesizes a million PTE rows).

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

/** Dark and light theme variables, a subset of what VS Code injects. */
const THEMES = {
  dark: { cls: 'vscode-dark', vars: {
    '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-font-family': 'sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace', '--vscode-editor-font-size': '13px',
    '--vscode-focusBorder': '#0078d4', '--vscode-list-hoverBackground': '#2a2d2e', '--vscode-list-activeSelectionBackground': '#04395e',
    '--vscode-list-activeSelectionForeground': '#ffffff', '--vscode-list-inactiveSelectionBackground': '#37373d', '--vscode-widget-border': '#454545',
    '--vscode-panel-border': '#2b2b2b', '--vscode-charts-blue': '#3794ff', '--vscode-charts-green': '#89d185', '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-purple': '#b180d7', '--vscode-charts-yellow': '#cca700', '--vscode-charts-orange': '#d18616', '--vscode-errorForeground': '#f85149',
    '--vscode-editorWarning-foreground': '#cca700', '--vscode-testing-iconPassed': '#73c991', '--vscode-testing-iconFailed': '#f14c4c',
    '--vscode-editorWidget-background': '#202020', '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8',
    '--vscode-diffEditor-insertedTextBackground': 'rgba(156,204,44,0.2)', '--vscode-diffEditor-removedTextBackground': 'rgba(255,0,0,0.2)',
    '--vscode-editorLineNumber-foreground': '#6e7681', '--vscode-editorLineNumber-activeForeground': '#cccccc', '--vscode-textCodeBlock-background': '#2b2b2b',
    '--vscode-textBlockQuote-background': '#2b2b2b', '--vscode-dropdown-background': '#313131', '--vscode-dropdown-border': '#3c3c3c', '--vscode-dropdown-foreground': '#cccccc',
    '--vscode-panelTitle-activeForeground': '#e7e7e7', '--vscode-panelTitle-activeBorder': '#0078d4', '--vscode-panelTitle-inactiveForeground': '#9d9d9d',
    '--vscode-checkbox-background': '#313131', '--vscode-checkbox-border': '#3c3c3c', '--vscode-settings-checkboxBorder': '#3c3c3c',
  } },
  light: { cls: 'vscode-light', vars: {
    '--vscode-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-descriptionForeground': '#717171',
    '--vscode-font-family': 'sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace', '--vscode-editor-font-size': '13px',
    '--vscode-focusBorder': '#005fb8', '--vscode-list-hoverBackground': '#f2f2f2', '--vscode-list-activeSelectionBackground': '#e8e8e8',
    '--vscode-list-activeSelectionForeground': '#000000', '--vscode-list-inactiveSelectionBackground': '#e4e6f1', '--vscode-widget-border': '#e5e5e5',
    '--vscode-panel-border': '#e5e5e5', '--vscode-charts-blue': '#1a85ff', '--vscode-charts-green': '#388a34', '--vscode-charts-red': '#e51400',
    '--vscode-charts-purple': '#652d90', '--vscode-charts-yellow': '#bf8803', '--vscode-charts-orange': '#d18616', '--vscode-errorForeground': '#a1260d',
    '--vscode-editorWarning-foreground': '#bf8803', '--vscode-testing-iconPassed': '#388a34', '--vscode-testing-iconFailed': '#f14c4c',
    '--vscode-editorWidget-background': '#f8f8f8', '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b',
    '--vscode-diffEditor-insertedTextBackground': 'rgba(156,204,44,0.25)', '--vscode-diffEditor-removedTextBackground': 'rgba(255,0,0,0.2)',
    '--vscode-editorLineNumber-foreground': '#6e7681', '--vscode-editorLineNumber-activeForeground': '#171184', '--vscode-textCodeBlock-background': '#f2f2f2',
    '--vscode-textBlockQuote-background': '#f8f8f8', '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-border': '#cecece', '--vscode-dropdown-foreground': '#3b3b3b',
    '--vscode-panelTitle-activeForeground': '#3b3b3b', '--vscode-panelTitle-activeBorder': '#005fb8', '--vscode-panelTitle-inactiveForeground': '#3b3b3b',
    '--vscode-checkbox-background': '#f8f8f8', '--vscode-checkbox-border': '#cecece', '--vscode-settings-checkboxBorder': '#cecece',
  } },
};

/** The fake host, run inside the page (stringified): answers messages like inspectorPanel.ts. */
function fakeHost(fixture, perfTotal) {
  const sent = (window.__sent = []);
  let state = window.__initialState || undefined;
  const reply = (m) => setTimeout(() => window.postMessage(m, '*'), 0);
  const row = (i) => ({ proc: 'p', addr: '0x' + (0x10000000 + i * 4096).toString(16), idx: `0/0/${(i >> 9) & 511}/${i & 511}`, pfn: '0x' + (0x2000 + i).toString(16), flags: 0x67, text: 'P RW U A D', maps: `big[${i}]`, changed: false });
  function filtered(step, f) {
    let rows = fixture.ptes[step] || [];
    if (f.proc) rows = rows.filter((r) => r.proc === f.proc);
    if (f.object) rows = rows.filter((r) => (f.object === 'anon' ? r.maps === 'anon' || r.maps === 'zero' : r.maps.startsWith(f.object + '[')));
    if (f.changed) rows = rows.filter((r) => r.changed);
    if (f.sort === 'pfn') rows = [...rows].sort((a, b) => parseInt(a.pfn, 16) - parseInt(b.pfn, 16));
    if (f.desc) rows = [...rows].reverse();
    return rows;
  }
  // the host's reaction to an editor cursor move: select, then that step's detail
  window.__hostSelect = (step) => { reply({ type: 'select', step }); reply({ type: 'step', runId: fixture.run.runId, detail: fixture.steps[step] }); };
  window.acquireVsCodeApi = () => ({
    getState: () => state,
    setState: (s) => { state = s; window.__state = s; },
    postMessage: (m) => {
      sent.push(m);
      const run = fixture.run;
      switch (m.type) {
        case 'ready':
          // the real host sends engine/versions.ts offeredVersions(); a fixed list is enough here
          reply({ type: 'run', run, selected: m.selected ?? 0, uri: 'file:///fixture/' + fixture.file, file: fixture.file, kernels: ['6.1', '6.1.192', '6.14', '6.15'] });
          reply({ type: 'step', runId: run.runId, detail: fixture.steps[m.selected ?? 0] });
          break;
        case 'selectStep':
          reply({ type: 'step', runId: run.runId, detail: fixture.steps[m.step] });
          break;
        case 'requestPtes':
          if (perfTotal) {
            const rows = [];
            for (let i = m.offset; i < Math.min(perfTotal, m.offset + m.count); i++) rows.push(row(i));
            reply({ type: 'ptes', runId: run.runId, requestId: m.requestId, step: m.step, offset: m.offset, total: perfTotal, rows });
          } else {
            const all = filtered(m.step, m.filter);
            reply({ type: 'ptes', runId: run.runId, requestId: m.requestId, step: m.step, offset: m.offset, total: all.length, rows: all.slice(m.offset, m.offset + m.count) });
          }
          break;
        case 'requestCompare':
          if (m.kernel && fixture.compare) reply({ type: 'compare', runId: run.runId, ...fixture.compare });
          break;
      }
    },
  });
}

function page(port, nonce, fixture, theme, perfTotal) {
  const t = THEMES[theme];
  const origin = `http://127.0.0.1:${port}`;
  const csp = `default-src 'none'; style-src ${origin} 'nonce-${nonce}'; font-src ${origin}; img-src ${origin}; script-src 'nonce-${nonce}'`;
  const json = JSON.stringify(fixture).replace(/</g, '\\u003c');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="/media/codicons/codicon.css" nonce="${nonce}">
<link rel="stylesheet" href="/media/inspector.css" nonce="${nonce}">
</head><body class="${t.cls}" data-vscode-theme-kind="${t.cls}">
<script nonce="${nonce}">window.__t0 = performance.now();
for (const [k, v] of Object.entries(${JSON.stringify(t.vars)})) document.documentElement.style.setProperty(k, v);
(${fakeHost.toString()})(${json}, ${perfTotal || 0});</script>
<script nonce="${nonce}" src="/dist/webview/main.js"></script></body></html>`;
}

/** Starts the server; pages are registered by name. */
async function serve() {
  const pages = new Map();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/favicon.ico') { res.writeHead(204); res.end(); return; }
    if (pages.has(url.pathname)) { res.writeHead(200, { 'content-type': 'text/html' }); res.end(pages.get(url.pathname)); return; }
    const file = path.join(ROOT, path.normalize(url.pathname));
    const allowed = file.startsWith(path.join(ROOT, 'dist/webview')) || file.startsWith(path.join(ROOT, 'media'));
    if (!allowed || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : file.endsWith('.ttf') ? 'font/ttf' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }); fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return {
    port, close: () => new Promise((r) => server.close(r)),
    add(name, fixture, theme = 'dark', perfTotal = 0) {
      const p = `/${name}.html`;
      pages.set(p, page(port, 'n0nce' + Math.random().toString(36).slice(2), fixture, theme, perfTotal));
      return `http://127.0.0.1:${port}${p}`;
    },
  };
}

module.exports = { serve, THEMES };
