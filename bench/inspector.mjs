// A minimal Chrome DevTools Protocol client for workerd's inspector, used to read one Worker
// isolate's V8 heap (Runtime.getHeapUsage).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** TCP ports on which process `pid` listens (from /proc/net/tcp{,6} and its socket inodes). */
export function listeningPorts(pid) {
  const inodes = new Set();
  for (const link of readdirLinks(`/proc/${pid}/fd`)) {
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m) inodes.add(m[1]);
  }
  const ports = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && inodes.has(f[9])) ports.push(Number.parseInt(f[1].split(':').at(-1), 16));
    }
  }
  return [...new Set(ports)];
}

function readdirLinks(dir) {
  const links = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return links;
  }
  for (const entry of entries) {
    try {
      links.push(readlinkSync(`${dir}/${entry}`));
    } catch {}
  }
  return links;
}

export class Inspector {
  #ws;
  #nextId = 0;
  #pending = new Map();

  /**
   * Connects straight to the inspector of the workerd process `pid` (started by wrangler dev with
   * `--inspector-addr=127.0.0.1:0`), target `targetId` (e.g. `core:user:adv-public-api`).
   */
  static async connectToWorkerd(pid, targetId, timeoutMs = 10_000) {
    for (const port of listeningPorts(pid)) {
      let list;
      try {
        const response = await fetch(`http://127.0.0.1:${port}/json/list`, {
          signal: AbortSignal.timeout(1_000),
        });
        if (!response.ok) continue;
        list = await response.json();
      } catch {
        continue;
      }
      const target = Array.isArray(list) && list.find((t) => t.id === targetId);
      if (target) return Inspector.connect(target.webSocketDebuggerUrl, timeoutMs);
    }
    throw new Error(`no inspector target ${targetId} in workerd pid ${pid}`);
  }

  static async connect(url, timeoutMs = 10_000) {
    const ws = new WebSocket(url, { headers: { Origin: 'http://127.0.0.1' } });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('inspector connection timed out')), timeoutMs);
      ws.onopen = () => {
        clearTimeout(timer);
        resolve();
      };
      ws.onerror = (event) => {
        clearTimeout(timer);
        reject(new Error(`inspector connection failed: ${event.message ?? 'error'}`));
      };
    });
    return new Inspector(ws);
  }

  constructor(ws) {
    this.#ws = ws;
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data));
      const pending = message.id !== undefined && this.#pending.get(message.id);
      if (!pending) return; // events
      this.#pending.delete(message.id);
      if (message.error) pending.reject(new Error(`${message.error.message} (${message.error.code})`));
      else pending.resolve(message.result);
    };
    ws.onclose = () => {
      for (const { reject } of this.#pending.values()) reject(new Error('inspector closed'));
      this.#pending.clear();
    };
  }

  /** Sends one command; rejects after timeoutMs (the isolate answers only between its tasks). */
  call(method, params = {}, timeoutMs = 5_000) {
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${method} timed out`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** { usedSize, totalSize, ... } in bytes. */
  heapUsage(timeoutMs) {
    return this.call('Runtime.getHeapUsage', {}, timeoutMs);
  }

  close() {
    this.#ws.close();
  }
}
