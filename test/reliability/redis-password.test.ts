// A wrong password in REDIS_URL: the start goes on in the degraded state, and no line on
// standard error carries the password, whether ioredis puts it in an error's command
// arguments or anywhere else. The password is short on purpose: too short to be masked as a
// configured secret, so only dropping the arguments keeps it out.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../channels/slack/fake-slack.ts';
import { spawnBot } from './bot-process.ts';
import { RedisServer } from './redis-server.ts';

const WRONG = 'Zq7x9w';

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start(['--requirepass', 'the-right-password-0123']);
});
afterAll(async () => {
  await redis.stop();
});

it('keeps a wrong Redis password out of every log line', async () => {
  const { child, stderr, exited } = spawnBot({ LOG_LEVEL: 'debug', REDIS_URL: `redis://default:${WRONG}@127.0.0.1:${redis.port}/0` });
  try {
    await waitFor(() => /open http/.test(stderr()), `the server to start:\n${stderr()}`, 20_000);
    // A few reconnection rounds, each one a failed HELLO … AUTH.
    await new Promise((done) => setTimeout(done, 1500));
    expect(stderr()).toMatch(/redis unreachable/);
    expect(stderr()).toMatch(/WRONGPASS/);
    expect(stderr()).not.toContain(WRONG);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}, 30_000);
