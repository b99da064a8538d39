'use strict';
// `mmscope run FILE --html OUT.html` (src/views/sharePage.ts): the page opens from a file in
// Chromium with no server and no network, renders the timeline, a walk and the PTE table from
// its own data, blocks nothing under its CSP, and shows hostile text from the scenario as text.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

module.exports = async function shareTests({ test, assert, eq, browser, ROOT, OUT }) {
  const hostile = '<img src=x onerror="window.__pwned=1">';
  const scenario = [
    `# ${hostile} </script><script>window.__pwned=2</script>`,
    'file f pages 4',
    'process a',
    'process b',
    'process c',
    'mmap a f at 0x10000000 pages 4 shared rw as m',
    'mmap b f at 0x20000000 pages 4 shared rw as m',
    'mmap c f at 0x30000000 pages 4 private rw as m',
    'write a m[0]',
    'write b m[0]',
    'read c m[0]',
    `mkclean f[0]   # ${hostile}`,
    'expect walk a:m, b:m, ~c:m',
    '',
  ].join('\n');
  const src = path.join(OUT, 'share <hostile>.mms');
  const out = path.join(OUT, 'share.html');
  fs.writeFileSync(src, scenario);

  async function openPage(colorScheme) {
    const ctx = await browser.newContext({ viewport: { width: 1200, height: 800 }, colorScheme });
    const page = await ctx.newPage();
    const problems = [], requests = [];
    page.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy|Refused/.test(m.text())) problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => { if (!/^(file|data):/.test(r.url())) requests.push(r.url()); });
    await page.addInitScript(() => { window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`)); });
    await page.goto('file://' + out);
    await page.locator('.tl-row').first().waitFor();
    return { ctx, page, problems, requests };
  }

  await test('run --html writes one page that needs no server, and says what it holds', async () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'run', src, '--html', out], { encoding: 'utf8' });
    eq(r.status, 0, `exit status (stderr: ${r.stderr})`);
    assert(/share\.html: \d+ KiB, 12 steps, \d+ PTE rows/.test(r.stdout), `summary line: ${r.stdout}`);
    const html = fs.readFileSync(out, 'utf8');
    assert(!/<(script|link)[^>]+src=/i.test(html) && !/<link /i.test(html), 'no script or stylesheet is loaded from elsewhere');
    assert(/default-src 'none'/.test(html) && /script-src 'sha256-/.test(html) && !/unsafe-inline|unsafe-eval/.test(html), 'a strict CSP with hashed scripts');
    assert(!html.includes('<img src=x'), 'the hostile text is not markup in the page');
  });

  await test('the page renders the timeline, the walk and the PTE table offline, in dark and light, with user text as text', async () => {
    for (const scheme of ['dark', 'light']) {
      const { ctx, page, problems, requests } = await openPage(scheme);
      eq(await page.locator('.tl-row').count(), 12, `${scheme}: one timeline row per statement`);
      await page.locator('.tl-row', { hasText: 'mkclean f[0]' }).click();
      await page.locator('vscode-tab-header', { hasText: 'Rmap walk' }).click();
      const walk = await page.locator('.walk').first().innerText();
      assert(/folio_mkclean/.test(walk) && /a:m/.test(walk) && /b:m/.test(walk) && /c:m/.test(walk), `${scheme}: the walk shows its VMAs: ${walk.slice(0, 200)}`);
      await page.locator('vscode-tab-header', { hasText: 'PTEs' }).click();
      await page.locator('.pte-row:not(.pte-head):not(.pte-empty)', { hasText: '0x' }).first().waitFor();
      assert((await page.locator('.pte-row:not(.pte-head):not(.pte-empty)', { hasText: '0x' }).count()) >= 3, `${scheme}: PTE rows shown`);
      const bodyClass = await page.evaluate(() => document.body.className);
      assert(bodyClass.includes(scheme === 'dark' ? 'vscode-dark' : 'vscode-light'), `${scheme}: theme class ${bodyClass}`);
      eq(await page.evaluate(() => window.__pwned ?? null), null, `${scheme}: no script from the scenario ran`);
      eq(await page.locator('img').count(), 0, `${scheme}: no element from the scenario's text`);
      eq(await page.evaluate(() => window.__csp), [], `${scheme}: CSP violations`);
      eq(problems, [], `${scheme}: console problems`);
      eq(requests, [], `${scheme}: network requests`);
      await page.screenshot({ path: path.join(OUT, `share-${scheme}.png`) });
      await ctx.close();
    }
  });

  await test('run --html refuses a missing OUT and says why', async () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'run', src, '--html'], { encoding: 'utf8' });
    eq(r.status, 2, 'exit status');
    assert(/--html wants the page's file name/.test(r.stderr), r.stderr);
  });
};
