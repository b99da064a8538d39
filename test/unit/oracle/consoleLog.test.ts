// The serial console log of an oracle boot (src/oracle/consoleLog.ts).

import { strict as assert } from 'assert';
import { ConsoleLog } from '../../../src/oracle/consoleLog';

describe('oracle console log', () => {
  it('reassembles output that arrives a byte at a time, past the first buffer, with UTF-8 split across reads', () => {
    const text = 'ORACLE {"t":"st","s":1} → ünïcode\n'.repeat(40_000); // about 1.5 MB, over the first 1 MiB
    const bytes = Buffer.from(text, 'utf8');
    const log = new ConsoleLog();
    for (let i = 0; i < bytes.length; i += 3) log.append(bytes.subarray(i, Math.min(i + 3, bytes.length)));
    assert.equal(log.bytes, bytes.length);
    assert.equal(log.text(), text);
  });
  it('takes a read larger than twice the buffer at once', () => {
    const log = new ConsoleLog();
    log.append(Buffer.from('a'));
    const big = Buffer.alloc(3 << 20, 0x62);
    log.append(big);
    assert.equal(log.bytes, 1 + big.length);
    assert.equal(log.text().slice(0, 3), 'abb');
  });
});
