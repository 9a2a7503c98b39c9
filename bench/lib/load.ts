// A bounded closed-loop load: a fixed number of requests in flight, stopped by a request count
// or a time limit, whichever comes first. Each request resolves when its work is complete
// (for the channels: when the fake remote API has received the reply), so latency is end to end.
import { request as httpRequest, Agent } from 'node:http';
import { summarize, type Summary } from './stats.ts';

export interface LoadOptions {
  concurrency: number;
  maxRequests: number;
  maxDurationMs: number;
  /** Requests sent first and not counted (JIT, connections, caches). */
  warmup: number;
  send(i: number): Promise<void>;
  /** Called after the warm-up, when measuring starts. */
  onMeasureStart?(): void;
}

export interface LoadResult {
  completed: number;
  errors: number;
  firstError?: string;
  elapsedS: number;
  throughput: number;
  latency: Summary;
  concurrency: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { concurrency, send } = options;
  let next = 0;
  const warm = async () => {
    while (next < options.warmup) await send(next++).catch(() => undefined);
  };
  await Promise.all(Array.from({ length: concurrency }, warm));

  options.onMeasureStart?.();
  const samples: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const stopAt = next + options.maxRequests;
  const started = performance.now();
  const deadline = started + options.maxDurationMs;
  const worker = async () => {
    while (next < stopAt && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      try {
        await send(i);
        samples.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  return { completed: samples.length, errors, ...(firstError ? { firstError } : {}), elapsedS, throughput: samples.length / elapsedS, latency: summarize(samples), concurrency };
}

/** A keep-alive HTTP client: POST a body, resolve with status and text. */
export function createClient(maxSockets: number): { post(url: URL, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    post(url, body, headers) {
      return new Promise((resolve, reject) => {
        const req = httpRequest(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.setTimeout(15_000, () => req.destroy(new Error('HTTP request timed out')));
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
