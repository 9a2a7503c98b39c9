// Child processes under test: the real composition root (src/main.ts) or an echo app, each
// started the same way (`node --import tsx …`) with standard error in a temporary file, so
// that a chatty logger costs the child its own writes and nothing in the measuring process.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './stats.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LOG_DIR = mkdtempSync(path.join(os.tmpdir(), 'ups-bench-'));
let logCount = 0;

export interface Child {
  proc: ChildProcess;
  url: URL;
  /** performance.now() when spawn() was called and when the URL line appeared. */
  spawnedAt: number;
  urlAt: number;
  logFile: string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Script relative to the repository root. */
  script: string;
  args?: string[];
  env: Record<string, string>;
  /** Matches the line that carries the base URL (group 1). */
  urlPattern: RegExp;
  nodeFlags?: string[];
  /** Modules imported before the script (TypeScript only when the script itself is TypeScript). */
  preload?: string[];
  /** Adds an IPC channel (memory probe). */
  ipc?: boolean;
  timeoutMs?: number;
}

export async function spawnServer(options: SpawnOptions): Promise<Child> {
  const logFile = path.join(LOG_DIR, `child-${++logCount}.log`);
  const fd = openSync(logFile, 'w');
  const spawnedAt = performance.now();
  // TypeScript (the echo apps) runs through tsx; the production bundle (dist/main.mjs) runs as is.
  const loader = options.script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const proc = spawn(process.execPath, [...(options.nodeFlags ?? []), ...loader, ...(options.preload ?? []).flatMap((m) => ['--import', m]), options.script, ...(options.args ?? [])], {
    cwd: ROOT,
    // Only what the child needs: no inherited SLACK_* or Microsoft* variables change what is measured.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'ignore', fd, ...(options.ipc ? (['ipc'] as const) : [])],
  });
  closeSync(fd);
  let exited: number | null | undefined;
  proc.once('exit', (code) => (exited = code));
  const deadline = spawnedAt + (options.timeoutMs ?? 30_000);
  for (;;) {
    const match = options.urlPattern.exec(readFileSync(logFile, 'utf8'));
    if (match) {
      const urlAt = performance.now();
      return {
        proc,
        url: new URL(match[1]!),
        spawnedAt,
        urlAt,
        logFile,
        stop: () => stopChild(proc),
      };
    }
    if (exited !== undefined || performance.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${options.script} did not start (exit ${String(exited)}):\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    await sleep(2);
  }
}

/** SIGTERM (main.ts drains and exits), then SIGKILL after 5 s. */
export async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** The banner main.ts prints: "APC UPS maintenance bot: open http://…/ to chat". */
export const MAIN_URL = /open (http:\/\/\S+) to chat/;
/** The line bench/echo-server.ts prints. */
export const ECHO_URL = /echo listening (http:\/\/\S+)/;

/**
 * The Node flags of package.json's start script (heap sizing), so the bench runs what `npm start`
 * runs; BENCH_START_FLAGS replaces them for an experiment (e.g. another young generation size).
 */
const START_FLAGS = (process.env.BENCH_START_FLAGS ?? (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start)
  .split(/\s+/)
  .filter((a) => a.startsWith('--'));

/** The server as `npm start` runs it (the bundle dist/main.mjs, built by bench/run.ts), on a free loopback port. */
export function spawnMain(env: Record<string, string> = {}, extra: Partial<SpawnOptions> = {}): Promise<Child> {
  return spawnServer({ script: 'dist/main.mjs', env: { PORT: '0', HOST: '127.0.0.1', ...env }, urlPattern: MAIN_URL, ...extra, nodeFlags: [...START_FLAGS, ...(extra.nodeFlags ?? [])] });
}
