import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { hoverAt, statementHover } from '../../../src/views/hover';
import { kernelSourceUrl } from '../../../src/views/kernelSource';

const SRC = [
  'kernel 6.15',                                            // 0
  'file data pages 4',                                      // 1
  'fbdev fb0 pages 4',                                      // 2
  'process p',                                              // 3
  'mmap p data at 0x7f0000000000 pages 4 shared rw as m',   // 4
  'mmap p fb0 at 0x7e0000000000 pages 4 shared rw as fb',   // 5
  'write p m[2]',                                           // 6
  'write p fb[1]',                                          // 7
  'wait 50ms',                                              // 8
  'writeback data',                                         // 9
].join('\n');
const r = runText(SRC);

describe('hover', () => {
  it('the kernel line lists the rules where that release differs from the default 6.15 (engine/versions.ts)', () => {
    const h = statementHover(runText('kernel 6.1.192\nprocess a'), 0)!;
    assert.match(h, /Linux 6\.1\.192, unlike the default 6\.15/);
    assert.match(h, /lacks `mapping-wrprotect-range` \(mainline 6\.15\)/);
    assert.doesNotMatch(h, /fb-defio-mkwrite-pgoff/, '6.1.192 has the 6.1.90 backport, as 6.15 has the fix');
    assert.match(statementHover(runText('kernel 6.1.89\nprocess a'), 0)!, /lacks `fb-defio-mkwrite-pgoff` \(mainline 6\.9, 78d9161d2bcd\)/);
    assert.doesNotMatch(h, /set-pte-dirty/, '6.16 differs from neither');
    assert.match(statementHover(runText('kernel 6.15\nprocess a'), 0)!, /same modelled rules as the default/);
  });

  it('shows the fault path the engine took for a write to a shared file mapping', () => {
    const h = statementHover(r, 6)!;
    assert.match(h, /#PF 0x6/);
    assert.match(h, /do_shared_fault/);
    assert.match(h, /Linux 6\.15/);
  });

  it('links the kernel functions of that path to the sources of the scenario\'s kernel version', () => {
    const h = statementHover(r, 6)!;
    assert.match(h, /https:\/\/elixir\.bootlin\.com\/linux\/v6\.15\/source\/mm\/memory\.c/);
  });

  it('shows fb_defio events for the deferred work a wait runs', () => {
    const h = statementHover(r, 8)!;
    assert.match(h, /fb_defio fb0/);
    assert.match(h, /deferred_io/);
  });

  it('shows the rmap walk and the result of writeback', () => {
    const h = statementHover(r, 9)!;
    assert.match(h, /rmap walk `folio_mkclean`/);
    assert.match(h, /p:m/);
    assert.match(h, /Result: \*\*1\*\*/);
  });

  it('shows, on a page spec, the PTE behind it after that line (flags and pfn)', () => {
    const h = hoverAt(r, 6, 9)!; // on `m` of `m[2]`
    assert.match(h, /mapping m/);
    assert.match(h, /m\[2\]` @ `0x7f0000002000`: `P RW U A D( SD)?` pfn `0x[0-9a-f]+`/);
  });

  it('shows a process\'s declaration and faults so far', () => {
    const h = hoverAt(r, 7, 6)!; // `p` in `write p fb[1]`
    assert.match(h, /process p/);
    assert.match(h, /declared on line 4/);
    assert.match(h, /2 page faults handled up to line 8/);
  });

  it('uses an identifier search link for a function with no known file', () => {
    assert.equal(kernelSourceUrl('frobnicate', '6.1'), 'https://elixir.bootlin.com/linux/v6.1/A/ident/frobnicate');
  });
});

describe('hover without a run (big scenarios)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { staticHover } = require('../../../src/views/hover') as typeof import('../../../src/views/hover');
  it('shows a name\'s declaration and a statement\'s syntax from the checker alone', () => {
    const lines = SRC.split('\n');
    assert.match(staticHover(r.check, lines[6], 6, 6)!, /process p\*\*, declared on line 4/);
    assert.match(staticHover(r.check, lines[9], 9, 2)!, /writeback OBJ/);
  });
});
