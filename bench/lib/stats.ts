// Small statistics and formatting helpers shared by the benchmark sections.
import os from 'node:os';

export interface Summary {
  n: number;
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function summarize(samplesMs: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samplesMs).sort();
  let sum = 0;
  for (const x of sorted) sum += x;
  return {
    n: sorted.length,
    medianMs: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: sorted.length ? sum / sorted.length : Number.NaN,
    maxMs: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

export function median(values: readonly number[]): number {
  return percentile(Float64Array.from(values).sort(), 50);
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Milliseconds with a sensible number of digits for tables. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x < 0.1) return `${(x * 1000).toFixed(0)} µs`;
  if (x < 1) return `${x.toFixed(3)} ms`;
  if (x < 10) return `${x.toFixed(2)} ms`;
  return `${x.toFixed(0)} ms`;
}

export function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  return perSecond >= 1000 ? `${Math.round(perSecond).toLocaleString('en-US')}/s` : `${perSecond.toFixed(perSecond >= 100 ? 0 : 1)}/s`;
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

export function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

export const sleep = (msDelay: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, msDelay));

/** One line of progress on standard error, so standard output stays the table. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export interface RunConditions {
  /** Process CPU time ÷ wall time: near 1 for a busy single-threaded loop that had a core to itself. */
  cpuShare: number;
  gcPauses: number;
  gcTotalMs: number;
  gcMaxMs: number;
  loadAverage1m: number;
}

/** Watches garbage collection and CPU time between start() and stop(), to explain latency tails. */
export async function watchConditions(): Promise<{ stop(): Promise<RunConditions> }> {
  const { PerformanceObserver } = await import('node:perf_hooks');
  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  return {
    async stop() {
      const cpu = process.cpuUsage(cpu0);
      const wallMs = performance.now() - wall0;
      // GC entries arrive on a later task, not while a loop of resolved promises runs.
      await sleep(20);
      observer.disconnect();
      return {
        cpuShare: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100) / 100,
        gcPauses: pauses.length,
        gcTotalMs: Math.round(pauses.reduce((a, b) => a + b, 0)),
        gcMaxMs: Math.round(Math.max(0, ...pauses) * 10) / 10,
        loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
      };
    },
  };
}
