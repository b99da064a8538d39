'use strict';
// A fake VS Code for the inspector webview: serves dist/webview and media over http with
// the panel's CSP, defines acquireVsCodeApi, and answers the webview's messages from a
// recorded trace (or, for the perf test, synthesizes a million PTE rows).

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

/**
 * What VS Code gives a webview for each theme kind (dark, light, hc-dark, hc-light): every
 * --vscode-* variable, the body classes and data attributes, and its default webview styles,
 * captured from code-server by capture-themes.js (themes/<kind>.json).
 */
const THEMES = Object.fromEntries(['dark', 'light', 'hc-dark', 'hc-light'].map((k) => [k, JSON.parse(fs.readFileSync(path.join(__dirname, 'themes', `${k}.json`), 'utf8'))]));

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
  const attr = (v) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const data = Object.entries(t.data).map(([k, v]) => ` ${k}="${attr(v)}"`).join('');
  // as inspectorPanel.ts writes it, with VS Code's default styles as the webview host adds them
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style id="_defaultStyles" nonce="${nonce}">${t.defaultStyles.replace(/</g, '\\3c ')}</style>
<link rel="stylesheet" href="/media/codicons/codicon.css" nonce="${nonce}">
<link rel="stylesheet" href="/media/inspector.css" nonce="${nonce}">
<title>MM Scope inspector</title></head><body class="${t.bodyClass.join(' ')}"${data}>
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
