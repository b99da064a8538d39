'use strict';
// Accessibility of the inspector webview (called by run.js): axe-core on every view in the four
// theme kinds, with VS Code's real theme variables (themes/*.json), at the first step and at
// steps with rmap walks and PTE changes; the ARIA tab and listbox keys; the live region; the
// walk's and the strips' text alternatives; focus rings; high-contrast borders; PTE cell
// patterns. What axe still reports below "serious" must be explained in docs/accessibility.md.

const fs = require('node:fs');
const path = require('node:path');
const { runAxe, severe, describe, version } = require('./axe');

const ROOT = path.resolve(__dirname, '../..');
const THEMES = ['dark', 'light', 'hc-dark', 'hc-light'];
/** each tab, and what shows that its view has rendered */
const TABS = [
  ['spaces', '.panel-spaces .proc, .panel-spaces .empty'], ['objects', '.panel-objects .object, .panel-objects .empty'],
  ['walks', '.panel-walks .walk, .panel-walks .empty'], ['ptes', '.pte-scroll .pte-row:not([hidden])'], ['compare', 'table.compare'],
];

module.exports = async function a11yTests({ test, assert, eq, open, server, fb, mk, OUT }) {
  const stepOf = (run, src) => run.rows.find((r) => r.source === src).step;
  const at = (selected, tab = 'spaces') => ({ selected, tab, filter: {}, scrollTop: 0, compare: '6.14' });
  const tabIndex = (id) => TABS.findIndex((t) => t[0] === id);
  const report = [];

  /**
   * axe on every tab of a page, then once more with the focus in the timeline (its selected row
   * takes the list's active-selection colours); what is below serious goes to the report
   */
  async function axeTabs(p, where, tabs = TABS) {
    const bad = [];
    for (const [id, ready] of [...tabs, ['timeline focused', '.timeline-list:focus']]) {
      if (id === 'timeline focused') await p.locator('.timeline-list').focus();
      else await p.locator(`.tab-${id}`).click();
      await p.locator(ready).first().waitFor();
      const { violations, incomplete } = await runAxe(p);
      const s = severe(violations);
      if (s.length) bad.push(`${where}, tab ${id}:\n    ${describe(s)}`);
      const note = (kind) => (x) => report.push({ kind, where, tab: id, id: x.id, impact: x.impact, help: x.help, nodes: x.nodes.map((n) => `${n.target}: ${n.summary.replace(/\s+/g, ' ')}`) });
      violations.filter((x) => !s.includes(x)).forEach(note('violation'));
      incomplete.forEach(note('needs review'));
    }
    assert(bad.length === 0, `serious or critical axe violations:\n  ${bad.join('\n  ')}`);
  }

  const cases = [
    ['fbdefio, first step', fb, 0],
    ['fbdefio, the deferred work (two walks, three PTEs changed)', fb, stepOf(fb.run, 'wait 1ms')],
    ['mkclean, folio_mkclean (a VMA skipped)', mk, stepOf(mk.run, 'mkclean f[0]')],
  ];
  for (const theme of THEMES) {
    await test(`axe ${version}, ${theme} theme: no serious or critical violation on any tab at the first step and at steps with walks and changes`, async () => {
      for (const [name, fixture, step] of cases) {
        const p = await open(server.add(`axe-${theme}-${fixture.file}-${step}`, fixture, theme), at(step));
        await axeTabs(p, `${name}, step ${step + 1}`);
        if (step && fixture === fb) await p.screenshot({ path: path.join(OUT, `a11y-${theme}-compare.png`) });
        await p.close();
      }
    });
  }

  await test('axe: a failing expectation, real-kernel markers and a busy status have no serious or critical violation in any theme', async () => {
    const failing = JSON.parse(JSON.stringify(fb));
    const s = stepOf(failing.run, 'expect faults x 2');
    Object.assign(failing.run.rows[s], { status: 'fail', text: ['expected 2 faults, got 1'] });
    failing.run.passed--; failing.run.failed++;
    for (const theme of THEMES) {
      const p = await open(server.add(`axe-fail-${theme}`, failing, theme), at(s));
      await p.evaluate(([a, b]) => {
        window.postMessage({ type: 'kernelVerdicts', release: '6.1.0', verdicts: [{ line: a, verdict: 'differ', text: 'faults x: engine +1, kernel +0' }, { line: b, verdict: 'agree' }] }, '*');
        window.postMessage({ type: 'status', text: 'running on a real kernel…', busy: true }, '*');
      }, [failing.run.rows[s].line, failing.run.rows[0].line]);
      await p.locator('.tl-kernel').first().waitFor();
      await p.locator('.fail-msg').waitFor();
      await axeTabs(p, `failing expectation, ${theme}`, TABS.slice(0, 1));
      await p.screenshot({ path: path.join(OUT, `a11y-${theme}-failing.png`) });
      await p.close();
    }
  });

  await test('what axe reports below serious, or cannot decide, is listed with a reason in docs/accessibility.md', async () => {
    fs.writeFileSync(path.join(OUT, 'axe.json'), JSON.stringify({ axe: version, results: report }, null, 1) + '\n');
    const doc = fs.readFileSync(path.join(ROOT, 'docs/accessibility.md'), 'utf8');
    for (const kind of ['violation', 'needs review']) {
      const of = report.filter((r) => r.kind === kind);
      const ids = [...new Set(of.map((r) => r.id))];
      console.log(`    axe ${kind === 'violation' ? 'violations below serious' : 'needs review'}: ${ids.length ? ids.map((id) => `${id} (${of.filter((r) => r.id === id).length} views, ${of.filter((r) => r.id === id).reduce((n, r) => n + r.nodes.length, 0)} nodes)`).join(', ') : 'none'}`);
      eq(ids.filter((id) => !doc.includes(`\`${id}\``)), [], `${kind}: rules reported but not explained in docs/accessibility.md`);
    }
  });

  await test('tabs follow the ARIA tab pattern: ←/→ move and select, Home/End, one tab in the Tab order', async () => {
    const p = await open(server.add('a11y-tabs', fb, 'dark'), at(stepOf(fb.run, 'wait 1ms')));
    const state = () => p.evaluate(() => {
      const hs = [...document.querySelectorAll('vscode-tab-header')];
      return {
        roles: hs.map((x) => x.getAttribute('role')), selected: hs.map((x) => x.getAttribute('aria-selected')).indexOf('true'),
        focused: hs.indexOf(document.activeElement), tabbable: hs.filter((x) => x.tabIndex === 0).length,
        visiblePanel: [...document.querySelectorAll('vscode-tab-panel')].findIndex((x) => !x.hidden),
      };
    });
    await p.locator('.tab-spaces').focus();
    const go = async (key, i, what) => {
      await p.keyboard.press(key);
      const s = await state();
      eq([s.selected, s.focused, s.visiblePanel, s.tabbable], [i, i, i, 1], `${what}: selected, focused, shown panel, tabbable headers`);
    };
    eq((await state()).roles, Array(TABS.length).fill('tab'), 'every header is a tab');
    eq(await p.evaluate(() => document.querySelector('vscode-tabs').shadowRoot.querySelector('[role=tablist]') !== null), true, 'inside a tablist');
    await go('ArrowRight', tabIndex('objects'), 'ArrowRight');
    await go('ArrowRight', tabIndex('walks'), 'ArrowRight again');
    await p.locator('.panel-walks .walk').first().waitFor();
    await go('End', TABS.length - 1, 'End');
    await go('ArrowRight', 0, 'ArrowRight wraps to the first');
    await go('ArrowLeft', TABS.length - 1, 'ArrowLeft wraps to the last');
    await go('Home', 0, 'Home');
    eq(await p.evaluate(() => window.__state.tab), 'spaces', 'the chosen tab is saved');
    const panel = p.locator('vscode-tab-panel:not([hidden])');
    eq(await panel.getAttribute('role'), 'tabpanel', 'the shown panel is a tabpanel');
    eq(await p.locator(`#${await panel.getAttribute('aria-labelledby')}`).getAttribute('role'), 'tab', 'labelled by its tab');
    await p.close();
  });

  await test('the timeline follows the listbox pattern: options with aria-selected, the active descendant follows the arrows', async () => {
    const p = await open(server.add('a11y-listbox', fb, 'dark'), at(0));
    const list = p.locator('.timeline-list');
    eq([await list.getAttribute('role'), await list.getAttribute('tabindex')], ['listbox', '0'], 'a focusable listbox');
    eq(await p.locator('.timeline-list > [role=option]').count(), fb.run.rows.length, 'one option per statement');
    await list.focus();
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowDown');
    const s = await p.evaluate(() => ({
      active: document.querySelector('.timeline-list').getAttribute('aria-activedescendant'),
      selected: [...document.querySelectorAll('[role=option][aria-selected=true]')].map((o) => o.id),
      focus: document.activeElement.className,
    }));
    eq(s, { active: 'step-2', selected: ['step-2'], focus: 'timeline-list' }, 'after two ArrowDown');
    await p.keyboard.press('End');
    eq(await list.getAttribute('aria-activedescendant'), `step-${fb.run.rows.length - 1}`, 'End');
    await p.close();
  });

  await test('stepping onto a step that changes PTEs announces them (aria-live polite): before → after', async () => {
    const s = stepOf(fb.run, 'wait 1ms');
    const p = await open(server.add('a11y-live', fb, 'dark'), at(s - 1));
    const live = p.locator('.pte-live');
    eq([await live.getAttribute('aria-live'), await live.getAttribute('aria-atomic')], ['polite', 'true'], 'a polite, atomic live region');
    eq(await live.textContent(), '', 'the step before changes no PTE');
    await p.locator('.timeline-list').focus();
    await p.keyboard.press('ArrowDown');
    await p.waitForFunction(() => document.querySelector('.pte-live').textContent !== '');
    // the deferred work write-protects and cleans the three dirty PTEs (fb_deferred_io_work ->
    // mapping_wrprotect_range): present, dirty -> present, read-only
    eq(await live.textContent(), `Step ${s + 1}: 3 PTEs changed: x m[0] at 0x7f0000000000: present, dirty → present, read-only; ` +
      'x m[2] at 0x7f0000002000: present, dirty → present, read-only; y m[2] at 0x7e0000002000: present, dirty → present, read-only.', 'announcement');
    await p.keyboard.press('ArrowDown'); // an expect line: changes nothing
    await p.waitForFunction(() => document.querySelector('.pte-live').textContent === '');
    await p.close();
  });

  await test('the rmap walk reads in order for a screen reader: page, mapping, i_mmap, each VMA visited or skipped and why, PTE before and after', async () => {
    const p = await open(server.add('a11y-walk', mk, 'dark'), at(stepOf(mk.run, 'mkclean f[0]'), 'walks'));
    const walk = p.locator('.walk').first();
    await walk.waitFor();
    // the accessibility tree as a screen reader gets it (the drawn boxes are hidden from it)
    const tree = await walk.ariaSnapshot();
    if (process.env.A11Y_DEBUG) console.log(tree);
    const items = tree.split('\n').map((l) => /^\s*- listitem: (.*)$/.exec(l)).filter(Boolean).map((m) => m[1].replace(/^"|"$/g, ''));
    eq(items, [
      'page: pfn 0x2000, index 0',
      'mapping: address_space of f, walked by rmap_walk_file',
      'i_mmap: 3 VMAs overlap pgoff [0, 0]',
      'VMA 1. a:m, 0x10000000–0x10004000, pgoff [0, 3]: visited at vma_address 0x10000000',
      'PTE 0x10000000 (PGD 0, PUD 0, PMD 128, PTE 0): before P RW U A D SD, after P RO U A SD, counted',
      'VMA 2. b:m, 0x20000000–0x20004000, pgoff [0, 3]: visited at vma_address 0x20000000',
      'PTE 0x20000000 (PGD 0, PUD 0, PMD 256, PTE 0): before P RW U A D SD, after P RO U A SD, counted',
      'VMA 3. c:m, 0x30000000–0x30004000, pgoff [0, 3]: skipped: invalid_mkclean_vma: no VM_SHARED',
    ], 'walk in reading order');
    assert(/^- '?region "rmap walk 1: folio_mkclean result 2"/.test(tree), `the walk is a named region: ${tree.split('\n')[0]}`);
    assert(!tree.includes('wbox') && !/- text: "?→/.test(tree) && !tree.includes('PGD 0 · PUD'), `the drawn diagram is hidden from the tree:\n${tree}`);
    await p.close();
  });

  await test('each PTE strip has a text alternative: every page in address order, changed pages said', async () => {
    const p = await open(server.add('a11y-strip', fb, 'dark'), at(stepOf(fb.run, 'wait 1ms')));
    await p.locator('.proc').first().waitFor();
    const strips = await p.locator('.strip').evaluateAll((ss) => ss.map((s) => [s.getAttribute('role'), s.getAttribute('aria-label')]));
    eq(strips, [
      ['img', 'PTEs of x m, 4 pages: [0] present, read-only, changed at this step; [1] no PTE; [2] present, read-only, changed at this step; [3] no PTE'],
      ['img', 'PTEs of y m, 4 pages: [0..1] no PTE; [2] present, read-only, changed at this step; [3] no PTE'],
    ], 'strip labels');
    await p.close();
  });

  await test('colour is not the only carrier: each PTE state has its own pattern, changed rows a marker read as a word', async () => {
    const p = await open(server.add('a11y-patterns', fb, 'hc-light'), at(stepOf(fb.run, 'wait 1ms')));
    await p.locator('.legend').waitFor();
    // the states' cells (the PMD-entry and large-folio items show a shape, not a state)
    const shapes = await p.locator('.legend > .legend-item > .cell:not(.changed):not(.pmd)').evaluateAll((cs) => cs.map((c) => {
      const s = getComputedStyle(c);
      // the shape without its colours: the gradient geometry, and whether the cell is filled
      return `${s.backgroundImage.replace(/rgba?\([^)]*\)/g, 'C')} ${/rgba\(0, 0, 0, 0\)|transparent/.test(s.backgroundColor) ? 'empty' : 'filled'}`;
    }));
    eq(shapes.length, 8, 'eight states in the legend (with swap and migration entries)');
    eq(new Set(shapes).size, 8, `eight different patterns (${shapes.join(' | ')})`);
    const marker = await p.locator('.vma-row.has-changed td').first().evaluate((td) => getComputedStyle(td, '::before').content);
    assert(marker.includes('changed'), `a changed row's marker has a spoken text: ${marker}`);
    await p.close();
  });

  await test('high contrast: the selection, focus, boxes and changed rows are drawn with contrastActiveBorder / contrastBorder', async () => {
    for (const theme of ['hc-dark', 'hc-light']) {
      const t = JSON.parse(fs.readFileSync(path.join(__dirname, 'themes', `${theme}.json`), 'utf8')).vars;
      const p = await open(server.add(`a11y-hc-${theme}`, fb, theme), at(stepOf(fb.run, 'wait 1ms'), 'walks'));
      await p.locator('.wbox').first().waitFor();
      await p.locator('.timeline-list').focus();
      const got = await p.evaluate(() => {
        const cs = (sel, pseudo) => getComputedStyle(document.querySelector(sel), pseudo);
        const hex = (c) => { const m = /rgba?\((\d+), (\d+), (\d+)/.exec(c); return m ? '#' + m.slice(1, 4).map((x) => Number(x).toString(16).padStart(2, '0')).join('') : c; };
        const sel = cs('.tl-row.selected');
        return {
          selected: `${sel.outlineStyle} ${hex(sel.outlineColor)}`, list: `${cs('.timeline-list').outlineStyle} ${hex(cs('.timeline-list').outlineColor)}`,
          wbox: hex(cs('.wbox').borderTopColor),
          tab: hex(cs('vscode-tab-header[active]').boxShadow),
        };
      });
      eq(got, { selected: `solid ${t['--vscode-contrastActiveBorder']}`, list: `solid ${t['--vscode-focusBorder']}`, wbox: t['--vscode-contrastBorder'], tab: t['--vscode-contrastActiveBorder'] },
        `${theme}: focused selection, focus ring, walk boxes, the chosen tab's underline`);
      await p.locator('.tab-ptes').click();
      const row = p.locator('.pte-scroll .pte-row.changed:not([hidden])').first();
      await row.waitFor();
      eq(await row.evaluate((r) => `${getComputedStyle(r).outlineStyle}`), 'dashed', `${theme}: a changed PTE row is outlined`);
      await p.close();
    }
  });

  await test('the filters, the sort and the kernel choice are operated with the keyboard alone', async () => {
    const p = await open(server.add('a11y-operate', fb, 'dark'), { ...at(stepOf(fb.run, 'wait 1ms'), 'ptes'), compare: '' });
    await p.locator('.pte-scroll .pte-row:not([hidden])').first().waitFor();
    const sent = (type) => p.evaluate((t) => window.__sent.filter((m) => m.type === t), type);
    await p.locator('.filter-sort').focus();
    for (const k of ['Space', 'ArrowDown', 'Enter']) await p.keyboard.press(k); // open, "PFN", choose
    await p.waitForFunction(() => window.__sent.some((m) => m.type === 'requestPtes' && m.filter.sort === 'pfn'));
    await p.locator('.filter-changed').focus();
    await p.keyboard.press('Space');
    await p.waitForFunction(() => window.__sent.some((m) => m.type === 'requestPtes' && m.filter.changed && m.filter.sort === 'pfn'));
    eq(await p.locator('.pte-scroll .pte-row:not([hidden])').count(), 3, 'the three PTEs the step changed');
    await p.locator('.tab-ptes').focus();
    await p.keyboard.press('End');
    await p.locator('.compare-sel').focus();
    for (const k of ['Space', 'ArrowDown', 'Enter']) await p.keyboard.press(k); // open, from "off" to "6.1", choose
    await p.waitForFunction(() => window.__sent.some((m) => m.type === 'requestCompare'));
    eq((await sent('requestCompare')).map((m) => m.kernel), ['6.1'], 'the kernel chosen with the keyboard');
    await p.close();
  });

  await test('every control is reachable with Tab and shows a focus ring in focusBorder', async () => {
    const p = await open(server.add('a11y-focus', fb, 'light'), at(stepOf(fb.run, 'wait 1ms'), 'ptes'));
    await p.locator('.pte-status:not(:empty)').waitFor();
    // the outline and border colours the element, and what its shadow root draws, show now
    // (vscode-checkbox draws its ring on an inner .icon, vscode-single-select on its face)
    const ringsOf = (el) => {
      const els = [el];
      for (let a = el; a && a.shadowRoot;) { els.push(...a.shadowRoot.querySelectorAll('*')); a = a.shadowRoot.activeElement; }
      const cs = els.map((e) => getComputedStyle(e));
      return [...new Set(cs.flatMap((s) => [s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? s.outlineColor : '', s.borderTopStyle !== 'none' ? s.borderTopColor : '']).filter(Boolean))];
    };
    await p.evaluate(() => { window.__focused = []; });
    await p.locator('body').click({ position: { x: 1, y: 1 } });
    for (let i = 0; i < 12; i++) {
      await p.keyboard.press('Tab');
      await p.evaluate(`(() => { const el = document.activeElement; if (el && el !== document.body) window.__focused.push([el, (${ringsOf})(el)]); })()`);
    }
    await p.evaluate(() => document.activeElement?.blur());
    const reached = await p.evaluate(`window.__focused.map(([el, focused]) => ({ name: el.className || el.tagName.toLowerCase(), focused, blurred: (${ringsOf})(el) }))`);
    const focus = await p.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-focusBorder').trim());
    const ring = `rgb(${parseInt(focus.slice(1, 3), 16)}, ${parseInt(focus.slice(3, 5), 16)}, ${parseInt(focus.slice(5, 7), 16)})`;
    const names = reached.map((r) => r.name);
    for (const want of ['timeline-list', 'tab-ptes', 'panel-ptes', 'filter-proc', 'filter-obj', 'filter-sort', 'filter-changed', 'pte-scroll']) {
      assert(names.some((n) => n.split(' ').includes(want)), `Tab reaches ${want}: ${names.join(', ')}`);
    }
    // a ring: the focusBorder colour is drawn while focused and not after the focus left
    eq(reached.filter((r) => !(r.focused.includes(ring) && !r.blurred.includes(ring))).map((r) => r.name), [], 'controls without a focusBorder ring');
    await p.close();
  });
};
