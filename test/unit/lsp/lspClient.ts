// A minimal LSP client over stdio (Content-Length framing, JSON-RPC 2.0) for the tests of
// `mmscope lsp --stdio`: requests with ids, notifications, and waiting for a notification.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export class LspClient {
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly notifications: { method: string; params: unknown }[] = [];
  private waiters: { test: (n: { method: string; params: unknown }) => boolean; resolve: (p: unknown) => void }[] = [];
  readonly proc: ChildProcessWithoutNullStreams;
  stderr = '';

  /** `serverModule`: a compiled module exporting startStdioServer() (src/lsp/server.ts). */
  constructor(serverModule: string) {
    this.proc = spawn(process.execPath, ['-e', `require(${JSON.stringify(serverModule)}).startStdioServer()`], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    this.proc.stdout.on('data', (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); this.drain(); });
  }

  private drain(): void {
    for (;;) {
      const sep = this.buf.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, sep).toString())?.[1]);
      if (this.buf.length < sep + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(sep + 4, sep + 4 + len).toString('utf8'));
      this.buf = this.buf.subarray(sep + 4 + len);
      if (msg.id !== undefined && msg.method === undefined) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(msg.error.message)); else p?.resolve(msg.result);
      } else {
        // a request from the server (e.g. workspace/codeLens/refresh) is answered, and kept like a notification
        if (msg.id !== undefined) this.send({ jsonrpc: '2.0', id: msg.id, result: null });
        const n = { method: msg.method, params: msg.params };
        this.notifications.push(n);
        this.waiters = this.waiters.filter((w) => { if (w.test(n)) { w.resolve(n.params); return false; } return true; });
      }
    }
  }

  private send(m: unknown): void {
    const body = Buffer.from(JSON.stringify(m), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void { this.send({ jsonrpc: '2.0', method, params }); }

  /** The first notification (already received or coming) that passes `test`. */
  waitFor<T = unknown>(method: string, test: (p: T) => boolean = () => true): Promise<T> {
    const hit = this.notifications.find((n) => n.method === method && test(n.params as T));
    if (hit) return Promise.resolve(hit.params as T);
    return new Promise((resolve) => this.waiters.push({ test: (n) => n.method === method && test(n.params as T), resolve: resolve as (p: unknown) => void }));
  }

  /** Resolves once `count` messages of `method` (notifications or server requests) have come. */
  waitForCount(method: string, count: number): Promise<void> {
    let seen = this.notifications.filter((n) => n.method === method).length;
    if (seen >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test: (n) => n.method === method && ++seen >= count, resolve: () => resolve() }));
  }

  async close(): Promise<void> {
    await this.request('shutdown', null);
    this.notify('exit', null);
    await new Promise((r) => this.proc.once('exit', r));
  }
}
