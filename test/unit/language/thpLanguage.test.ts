// Language v2, large folios and THP: parsing, checking (sizes, version gates) and
// completion of `sysctl thp`, `file ... folio`, `shmem ... huge`, `split`, `madvise`,
// and the new expectation flags.

import { strict as assert } from 'assert';
import { check, parse } from '../../../src/language';
import { completionsAt } from '../../../src/language/completion';

function diags(text: string): string[] {
  const p = parse(text);
  const c = check(p.scenario);
  return [...p.diagnostics, ...c.diagnostics].filter((d) => d.severity === 'error').map((d) => `${d.range.start.line + 1}:${d.range.start.character} ${d.code} ${d.message}`);
}

const SRC = [
  'kernel 6.12',
  'file f pages 1024 folio 64K',
  'shmem s pages 512 huge within_size',
  'process p',
  'mmap p anon at 0x7f0000000000 pages 512 private rw as buf',
  '',
].join('\n');

describe('language v2: large folios and THP', () => {
  it('parses every new construct into the AST shape the engine runs', () => {
    const p = parse(`${SRC}sysctl thp enabled always
sysctl thp anon 64K madvise
sysctl thp shmem 2M inherit
sysctl thp shmem_enabled advise
sysctl thp use_zero_page 0
madvise p buf[0..15] hugepage
split p buf[3]
split f[0]
expect pte p buf[0..511] huge !write maps zero
expect folio p buf[3] large order 9 folio_mapcount 1 !mapcount 2
expect folio f[0] order 4 !large
expect faults p 2 major 0
`);
    assert.deepEqual(p.diagnostics, []);
    const kinds = p.scenario.statements.map((s) => s.kind);
    assert.deepEqual(kinds.slice(5), ['sysctl_thp', 'sysctl_thp', 'sysctl_thp', 'sysctl_thp', 'sysctl_thp', 'madvise', 'split', 'split', 'expect_pte', 'expect_folio', 'expect_folio', 'expect_faults']);
    const st = p.scenario.statements;
    const anon = st[6] as Extract<typeof st[number], { kind: 'sysctl_thp' }>;
    assert.equal(anon.knob, 'anon'); assert.equal(anon.size!.bytes, 65536); assert.equal(anon.value, 'madvise');
    const m = st[10] as Extract<typeof st[number], { kind: 'madvise' }>;
    assert.equal(m.advice, 'hugepage'); assert.equal(m.proc.name, 'p'); assert.equal(m.spec.kind, 'label');
    const f = st[1] as Extract<typeof st[number], { kind: 'file' }>;
    assert.equal(f.folio!.bytes, 65536);
    const sh = st[2] as Extract<typeof st[number], { kind: 'shmem' }>;
    assert.equal(sh.huge, 'within_size');
    const ef = st[14] as Extract<typeof st[number], { kind: 'expect_folio' }>;
    assert.equal(ef.proc!.name, 'p');
    const fa = st[16] as Extract<typeof st[number], { kind: 'expect_faults' }>;
    assert.equal(fa.major!.value, 0);
    assert.deepEqual(diags(`${SRC}sysctl thp enabled always\nsplit p buf[3]\nmadvise p buf nohugepage\n`), []);
  });

  it('version gates: hugepages-<size>/enabled before 6.8 and hugepages-<size>/shmem_enabled before 6.11 are errors naming the version', () => {
    const e1 = diags('kernel 6.7\nsysctl thp anon 64K always');
    assert.equal(e1.length, 1);
    assert.match(e1[0], /^2:0 MMS404 sysctl thp anon 64K: .* exists only from Linux 6\.8 .*this scenario is for 6\.7$/);
    const e2 = diags('kernel 6.10\nsysctl thp shmem 64K always');
    assert.match(e2[0], /^2:0 MMS404 .* exists only from Linux 6\.11 .*6\.10$/);
    assert.deepEqual(diags('kernel 6.1\nsysctl thp enabled always\nsysctl thp shmem_enabled always'), []);
    assert.deepEqual(diags('kernel 6.8\nsysctl thp anon 64K always'), []);
  });

  it('sizes: a THP size is a power of two from 16K to 2M, a folio size from 8K to 2M; values are the sysfs ones', () => {
    assert.match(diags('sysctl thp anon 48K always')[0], /MMS310 no hugepages-48K directory/);
    assert.match(diags('sysctl thp anon 4M always')[0], /MMS310/);
    assert.match(diags('file f pages 4 folio 4K')[0], /MMS310 folio 4K/);
    assert.match(diags('sysctl thp enabled sometimes')[0], /the value: always, madvise, never/);
    assert.match(diags('sysctl thp anon 64K within_size')[0], /the value: always, madvise, inherit, never/);
    assert.match(diags('shmem s pages 4 huge force')[0], /the huge= option: always, within_size, advise, never/);
    assert.match(diags(`${SRC}madvise p buf mergeable`)[0], /unknown advice 'mergeable' \(expected one of: .*hugepage, nohugepage, collapse, dontfork, dofork\)/);
  });

  it('completion: thp knobs, sizes and values; file folio; shmem huge; madvise advices; expect faults major; the new flags', () => {
    const chk = check(parse(SRC).scenario);
    const l = (line: string) => completionsAt(line, line.length, chk).map((e) => e.label);
    assert.deepEqual(l('sysctl '), ['fault_around_bytes', 'swap', 'thp']);
    assert.deepEqual(l('sysctl thp '), ['enabled', 'anon', 'shmem', 'shmem_enabled', 'use_zero_page']);
    assert.ok(l('sysctl thp anon ').includes('64K'));
    assert.deepEqual(l('sysctl thp anon 64K '), ['always', 'madvise', 'inherit', 'never']);
    assert.deepEqual(l('sysctl thp shmem_enabled '), ['always', 'within_size', 'advise', 'never', 'deny', 'force']);
    assert.deepEqual(l('file g pages 4 '), ['cold', 'folio']);
    assert.ok(l('file g pages 4 folio ').includes('2M'));
    assert.deepEqual(l('shmem t pages 4 '), ['huge']);
    assert.deepEqual(l('shmem t pages 4 huge '), ['always', 'within_size', 'advise', 'never']);
    assert.deepEqual(l('madvise p buf '), ['dontneed', 'free', 'cold', 'pageout', 'willneed', 'populate_read', 'populate_write', 'hugepage', 'nohugepage', 'collapse', 'dontfork', 'dofork']);
    assert.deepEqual(l('expect faults p 3 '), ['major']);
    assert.ok(l('expect pte p buf[0] ').includes('huge'));
    const ff = l('expect folio p buf[0] ');
    for (const x of ['large', 'order', 'folio_mapcount']) assert.ok(ff.includes(x), x);
  });
});
