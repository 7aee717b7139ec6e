// Resident set size of one process, sampled every ~2 ms on a worker thread so that reading a
// large response body on the main thread does not delay the samples.
//
//   const sampler = new RssSampler(pid);
//   sampler.start();  ...request...  const { peakKb, samples } = await sampler.stop();
import { readFileSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** VmRSS and VmHWM (kB) of `pid` from /proc/<pid>/status. */
export function readRss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

const INTERVAL_MS = 2;

export class RssSampler {
  #control = new Int32Array(new SharedArrayBuffer(8)); // [0] 1 = sampling; [1] sleep cell
  #worker;
  #result;
  #settle;

  constructor(pid) {
    this.#worker = new Worker(new URL(import.meta.url), { workerData: { pid, control: this.#control } });
    this.#worker.unref();
    this.#worker.on('message', (result) => this.#settle?.resolve(result));
    this.#worker.on('error', (error) => this.#settle?.reject(error));
  }

  start() {
    this.#result = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    Atomics.store(this.#control, 0, 1);
    this.#worker.postMessage('start');
  }

  /** Stops sampling: { peakKb, samples } since start(). */
  async stop() {
    Atomics.store(this.#control, 0, 0);
    return this.#result;
  }

  close() {
    return this.#worker.terminate();
  }
}

if (!isMainThread && workerData?.control) {
  const { pid, control } = workerData;
  parentPort.on('message', () => {
    let peakKb = 0;
    let samples = 0;
    do {
      try {
        // A process that died mid-sample (a zombie) has no VmRSS: NaN, not a reading.
        const { rssKb } = readRss(pid);
        if (Number.isFinite(rssKb)) {
          peakKb = Math.max(peakKb, rssKb);
          samples++;
        }
      } catch {
        break; // the process is gone
      }
      Atomics.wait(control, 1, 0, INTERVAL_MS);
    } while (Atomics.load(control, 0) === 1);
    parentPort.postMessage({ peakKb, samples });
  });
}
