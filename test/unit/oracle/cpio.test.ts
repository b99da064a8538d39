// The newc cpio writer that appends /oracle to the initramfs.

import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { S_IFCHR, S_IFDIR, S_IFREG, readCpio, writeCpio, writeCpioGz } from '../../../src/oracle/cpio';
import { requireTool } from './tools';

describe('oracle cpio writer (newc, as the initramfs unpacker reads it)', () => {
  it('writes the 110-byte ASCII header, NUL-terminated name and data, each padded to 4 bytes', () => {
    const buf = writeCpio([{ name: 'oracle', mode: S_IFREG | 0o755, data: Buffer.from('abcde') }]);
    assert.equal(buf.toString('ascii', 0, 6), '070701');
    const field = (i: number) => parseInt(buf.toString('ascii', 6 + i * 8, 14 + i * 8), 16);
    assert.equal(field(1), S_IFREG | 0o755, 'mode');
    assert.equal(field(4), 1, 'nlink');
    assert.equal(field(6), 5, 'filesize');
    assert.equal(field(11), 7, 'namesize counts the NUL');
    assert.equal(buf.toString('ascii', 110, 117), 'oracle\0');
    assert.equal(buf.toString('ascii', 120, 125), 'abcde', 'data starts 4-aligned (110+7 -> 120)');
    assert.equal(buf.length % 4, 0);
    assert.ok(buf.includes('TRAILER!!!\0'));
  });

  it('round-trips files, directories and device nodes', () => {
    const data = Buffer.alloc(4099, 7);
    const entries = [
      { name: 'dev', mode: S_IFDIR | 0o755 },
      { name: 'dev/console', mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1 },
      { name: '/bin/x', mode: S_IFREG | 0o644, data },
    ];
    const back = readCpio(writeCpio(entries));
    assert.deepEqual(back.map(e => e.name), ['dev', 'dev/console', 'bin/x']);
    assert.deepEqual([back[1].rdevMajor, back[1].rdevMinor], [5, 1]);
    assert.ok(back[2].data.equals(data));
  });

  it('the gzip form decompresses to the same archive', () => {
    const entries = [{ name: 'a', mode: S_IFREG | 0o644, data: Buffer.from('x') }];
    assert.ok(gunzipSync(writeCpioGz(entries)).equals(writeCpio(entries)));
  });

  it('GNU cpio lists and extracts it', function () {
    requireTool('cpio', 'cpio');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cpio-test-'));
    const arc = path.join(tmp, 'a.cpio');
    fs.writeFileSync(arc, writeCpio([{ name: 'oracle', mode: S_IFREG | 0o755, data: Buffer.from('#!/bin/sh\n') }]));
    const list = execFileSync('cpio', ['-it', '--quiet', '-F', arc]).toString().trim();
    assert.equal(list, 'oracle');
    execFileSync('cpio', ['-id', '--quiet', '-F', arc], { cwd: tmp });
    assert.equal(fs.readFileSync(path.join(tmp, 'oracle'), 'utf8'), '#!/bin/sh\n');
    assert.equal(fs.statSync(path.join(tmp, 'oracle')).mode & 0o777, 0o755);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses a field that does not fit in 8 hex digits', () => {
    assert.throws(() => writeCpio([{ name: 'x', mode: 0x1_0000_0000 }]), RangeError);
  });
});
