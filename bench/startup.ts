// Section 4a: start-up. `node dist/main.mjs` (what npm start runs) on a free loopback port, timed from
// spawn() to the first 200 from /readyz; and, in this process, the engine build alone
// (knowledge + training the matcher + wiring), which is most of it.
import { buildEngine } from '../src/core/index.ts';
import { spawnMain } from './lib/processes.ts';
import { median, progress, sleep } from './lib/stats.ts';

export interface StartupResult {
  /** Spawn → first 200 from /readyz, per measured start. */
  readyMs: number[];
  medianReadyMs: number;
  /** Spawn → the banner with the URL (listening). */
  medianListeningMs: number;
  /** The first, unmeasured start (cold caches). */
  coldReadyMs: number;
  engineBuildMs: number[];
  medianEngineBuildMs: number;
}

async function startOnce(): Promise<{ readyMs: number; listeningMs: number }> {
  const child = await spawnMain({ LOG_LEVEL: 'warn' });
  try {
    const readyz = new URL('/readyz', child.url);
    for (;;) {
      const res = await fetch(readyz).catch(() => undefined);
      if (res?.status === 200) {
        const readyAt = performance.now();
        await res.arrayBuffer();
        return { readyMs: readyAt - child.spawnedAt, listeningMs: child.urlAt - child.spawnedAt };
      }
      await sleep(5);
    }
  } finally {
    await child.stop();
  }
}

export async function benchStartup(options: { starts: number; builds: number }): Promise<StartupResult> {
  progress('startup: cold start (not counted)');
  const cold = await startOnce();
  const starts: { readyMs: number; listeningMs: number }[] = [];
  for (let i = 0; i < options.starts; i++) {
    progress(`startup: start ${i + 1}/${options.starts}`);
    starts.push(await startOnce());
  }
  const builds: number[] = [];
  for (let i = 0; i < options.builds; i++) {
    progress(`startup: in-process engine build ${i + 1}/${options.builds}`);
    const t0 = performance.now();
    await buildEngine();
    builds.push(performance.now() - t0);
  }
  return {
    readyMs: starts.map((s) => s.readyMs),
    medianReadyMs: median(starts.map((s) => s.readyMs)),
    medianListeningMs: median(starts.map((s) => s.listeningMs)),
    coldReadyMs: cold.readyMs,
    engineBuildMs: builds,
    medianEngineBuildMs: median(builds),
  };
}
