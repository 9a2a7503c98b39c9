// The bot under attack: `node --import tsx src/main.ts` on a free loopback port, standard
// error kept for log inspection. Only the variables given here; nothing inherited.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface Bot {
  url: URL;
  child: ChildProcess;
  stderr(): string;
  exited: Promise<number | null>;
  /** SIGTERM; resolves with the exit code and how long it took (ms), or 'timeout'. */
  terminate(waitMs: number): Promise<{ code: number | null | 'timeout'; ms: number }>;
  kill(): void;
}

export async function startBot(env: Record<string, string>): Promise<Bot> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  for (let waited = 0; waited < 30_000; waited += 50) {
    const match = /open (http:\/\/\S+) to chat/.exec(stderr);
    if (match) {
      return {
        url: new URL(match[1]!),
        child,
        stderr: () => stderr,
        exited,
        async terminate(waitMs) {
          const started = Date.now();
          child.kill('SIGTERM');
          const code = await Promise.race([exited, new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), waitMs))]);
          if (code === 'timeout') child.kill('SIGKILL');
          return { code, ms: Date.now() - started };
        },
        kill: () => void (child.exitCode === null && child.kill('SIGKILL')),
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((done) => setTimeout(done, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the bot did not start:\n${stderr.slice(-2000)}`);
}
