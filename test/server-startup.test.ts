// `npm start` as a new user runs it: main.ts in a child process with a controlled
// environment, run from an empty folder (so no developer's .env leaks in).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
// main.ts runs in the child itself, with tsx's loader (`node --import tsx`), as `npm start` runs
// the bundle: signals reach it directly. tsx's CLI would run it in a grandchild and relay
// signals, killing it (exit 130/143) when it does not report one within 30 ms, which a busy
// 2-core machine sometimes misses.
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const MAIN = join(ROOT, 'src/main.ts');
const STACK_FRAME = /^\s+at .+/m;

interface Started {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  // Kill the child's whole process group, whatever it started.
  for (const child of children.splice(0)) if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function startMain(env: Record<string, string>, dotenv?: string): Promise<Started> {
  const cwd = await mkdtemp(join(tmpdir(), 'main-startup-'));
  dirs.push(cwd);
  if (dotenv !== undefined) await writeFile(join(cwd, '.env'), dotenv);
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    stderr: () => stderr,
    exited: exited.then((code) => {
      expect(stdout, 'standard output stays empty').toBe('');
      return code;
    }),
    async waitForStderr(pattern) {
      for (let waited = 0; waited < 15_000; waited += 50) {
        const match = stderr.match(pattern);
        if (match) return match;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`stderr never matched ${pattern}:\n${stderr}`);
    },
  };
}

describe('npm start', () => {
  it('starts with no variables: web chat and Teams on, Slack off, and stops cleanly on SIGTERM', async () => {
    const main = await startMain({});
    const [, url] = await main.waitForStderr(/open (http:\/\/\S+) to chat/);
    const stderr = main.stderr();
    expect(stderr).toMatch(/web chat\s+on/);
    expect(stderr).toMatch(/Teams\s+on\s+POST \S+\/api\/messages/);
    expect(stderr).toMatch(/Slack\s+off\s+set SLACK_BOT_TOKEN/);

    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html lang="ja">');
    expect((await fetch(new URL('/readyz', url))).status).toBe(200);
    const teams = await fetch(new URL('/api/messages', url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(teams.status).not.toBe(404);
    expect((await fetch(new URL('/slack/events', url), { method: 'POST' })).status).toBe(404);

    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
  });

  it('mounts the Slack endpoint when Slack is configured', async () => {
    const main = await startMain({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'test-secret', SLACK_API_URL: 'http://127.0.0.1:9/api/' });
    const [, url] = await main.waitForStderr(/open (http:\/\/\S+) to chat/);
    expect(main.stderr()).toMatch(/Slack\s+on\s+POST \S+\/slack\/events/);
    // Unsigned: refused by the channel, but the route is there.
    expect((await fetch(new URL('/slack/events', url), { method: 'POST', body: '{}' })).status).not.toBe(404);
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
  });

  it.each([
    ['a PORT that is not a number', 'PORT', { PORT: 'eighty' }],
    ['a PORT out of range', 'PORT', { PORT: '70000' }],
    ['a Slack signing secret without the bot token', 'SLACK_BOT_TOKEN', { SLACK_SIGNING_SECRET: 'secret' }],
    ['a Slack bot token without a signing secret or app token', 'SLACK_SIGNING_SECRET', { SLACK_BOT_TOKEN: 'xoxb-1' }],
  ])('refuses to start with %s, naming %s', async (_case, variable, env) => {
    const main = await startMain(env);
    expect(await main.exited).toBe(1);
    expect(main.stderr()).toMatch(new RegExp(`^Configuration error: ${variable}: `, 'm'));
    expect(main.stderr()).not.toMatch(STACK_FRAME);
  });

  it('reads an optional .env file from the working folder', async () => {
    const main = await startMain({}, 'WEB_RATE_LIMIT_PER_MINUTE=lots\n');
    expect(await main.exited).toBe(1);
    expect(main.stderr()).toMatch(/^Configuration error: WEB_RATE_LIMIT_PER_MINUTE: /m);
  });

  it('lets the environment win over .env', async () => {
    const main = await startMain({ PORT: '0' }, 'PORT=not-a-port\n');
    await main.waitForStderr(/open (http:\/\/\S+) to chat/);
    main.child.kill('SIGINT');
    expect(await main.exited).toBe(0);
  });
});
