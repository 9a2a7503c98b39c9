// A wrong password in REDIS_URL: the start goes on in the degraded state, and no line on
// standard error carries the password, whether ioredis puts it in an error's command
// arguments or anywhere else. The password is short on purpose: too short to be masked as a
// configured secret, so only dropping the arguments keeps it out.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../channels/slack/fake-slack.ts';
import { RedisServer } from './redis-server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const WRONG = 'Zq7x9w';

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start(['--requirepass', 'the-right-password-0123']);
});
afterAll(async () => {
  await redis.stop();
});

it('keeps a wrong Redis password out of every log line', async () => {
  const child = spawn(process.execPath, [TSX, join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'debug', REDIS_URL: `redis://default:${WRONG}@127.0.0.1:${redis.port}/0` },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  try {
    await waitFor(() => /open http/.test(stderr), `the server to start:\n${stderr}`, 20_000);
    // A few reconnection rounds, each one a failed HELLO … AUTH.
    await new Promise((done) => setTimeout(done, 1500));
    expect(stderr).toMatch(/redis unreachable/);
    expect(stderr).toMatch(/WRONGPASS/);
    expect(stderr).not.toContain(WRONG);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}, 30_000);
