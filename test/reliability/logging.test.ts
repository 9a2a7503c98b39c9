// Secrets never reach a log line, whatever shape the SDK error that carries them has.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boltLogger } from '../../src/channels/slack/bolt-logger.ts';
import { createLogger, scrubSecrets } from '../../src/logger.ts';

const BOT_TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const APP_TOKEN = 'xapp-1-A0123456789-1234567890123-abcdef0123456789';
const SIGNING_SECRET = '8f2c1e0a9b7d6c5e4f3a2b1c0d9e8f7a';
const APP_PASSWORD = 'Teams~App.Password_0123456789';

function capture(secrets: string[] = [SIGNING_SECRET, APP_PASSWORD]) {
  let out = '';
  const destination = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  return { logger: createLogger('debug', { secrets, destination }), output: () => out };
}

describe('logs', () => {
  it('redact token fields by path', () => {
    const { logger, output } = capture();
    logger.info({ token: BOT_TOKEN, botToken: BOT_TOKEN, headers: { authorization: 'x' }, req: { headers: { authorization: 'y' } } }, 'fields');
    const line = JSON.parse(output()) as Record<string, any>;
    expect(line.token).toBe('[redacted]');
    expect(line.botToken).toBe('[redacted]');
    expect(line.headers.authorization).toBe('[redacted]');
    expect(line.req.headers.authorization).toBe('[redacted]');
  });

  it('redact one level down, in errors too, without changing the logged objects', () => {
    const { logger, output } = capture();
    const request = { token: 'opaque-token-1', authorization: 'opaque-credential-2', headers: { Authorization: 'opaque-credential-3', accept: 'json' }, url: '/x' };
    const err = Object.assign(new Error('call failed'), { token: 'opaque-token-4', headers: { authorization: 'opaque-credential-5' } });
    logger.error({ request, err, attempt: 2 }, 'nested');
    const text = output();
    for (const secret of ['opaque-token-1', 'opaque-credential-2', 'opaque-credential-3', 'opaque-token-4', 'opaque-credential-5']) expect(text).not.toContain(secret);
    const line = JSON.parse(text) as Record<string, any>;
    expect(line.request).toEqual({ token: '[redacted]', authorization: '[redacted]', headers: { Authorization: '[redacted]', accept: 'json' }, url: '/x' });
    expect(line.err.message).toBe('call failed');
    expect(line.attempt).toBe(2);
    // The caller's objects are left as they were.
    expect(request.token).toBe('opaque-token-1');
    expect(request.headers.Authorization).toBe('opaque-credential-3');
    expect(err.token).toBe('opaque-token-4');
  });

  it('scrub tokens, bearer credentials and configured secrets buried in SDK errors', () => {
    const { logger, output } = capture();
    // The shape of a failed Slack Web API call (axios underneath) and a Bot Connector RestError.
    const slackError = Object.assign(new Error('An HTTP protocol error occurred: statusCode = 500'), {
      code: 'slack_webapi_http_error',
      original: { config: { url: 'https://slack.com/api/chat.postMessage', headers: { Authorization: `Bearer ${BOT_TOKEN}` }, data: `token=${BOT_TOKEN}` } },
    });
    const connectorError = Object.assign(new Error('Unauthorized'), {
      request: { headers: { _headersMap: { authorization: { name: 'authorization', value: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl' } } } },
      body: `client_secret=${APP_PASSWORD}`,
    });
    logger.error({ err: slackError }, 'slack failed');
    logger.error({ err: connectorError }, 'teams failed');
    logger.warn(`socket mode with ${APP_TOKEN}, secret ${SIGNING_SECRET}`);
    logger.info({ redis: 'redis://:hunter2hunter2@127.0.0.1:6379/0' }, 'store');
    const text = output();
    for (const secret of [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, APP_PASSWORD, 'eyJhbGciOiJSUzI1NiJ9', 'hunter2hunter2']) expect(text).not.toContain(secret);
    expect(text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string }).map((l) => l.msg)).toEqual([
      'slack failed',
      'teams failed',
      'socket mode with [redacted], secret [redacted]',
      'store',
    ]);
    expect(text).toContain('redis://:[redacted]@127.0.0.1:6379/0');
  });

  it('scrub what Bolt and the WebClient log through our adapter', () => {
    const { logger, output } = capture();
    const bolt = boltLogger(logger);
    bolt.debug('http request url: https://slack.com/api/auth.test', { headers: { Authorization: `Bearer ${BOT_TOKEN}` } });
    bolt.warn(`apps.connections.open with ${APP_TOKEN}`);
    bolt.error(new Error(`request failed for token ${BOT_TOKEN}`));
    const text = output();
    expect(text.split('\n').filter(Boolean)).toHaveLength(3);
    expect(text).not.toContain(BOT_TOKEN);
    expect(text).not.toContain(APP_TOKEN);
  });

  it('leave ordinary text alone', () => {
    expect(scrubSecrets('{"msg":"SMT1500J の xoxo 保守、Bearer の話"}')).toBe('{"msg":"SMT1500J の xoxo 保守、Bearer の話"}');
  });
});

describe('Redis errors in logs', () => {
  // The shape ioredis gives a failed HELLO 3 AUTH (a wrong password in REDIS_URL).
  const replyError = () =>
    Object.assign(new Error('WRONGPASS invalid username-password pair or user is disabled.'), {
      name: 'ReplyError',
      command: { name: 'hello', args: ['3', 'AUTH', 'default', 'Zq7x9w'] },
    });

  it('drop the command arguments of an error, however it is logged', () => {
    const { logger, output } = capture([]);
    logger.error({ err: replyError() }, 'as err');
    logger.error({ error: replyError() }, 'under another key');
    logger.error({ err: new Error('wrapped', { cause: replyError() }) }, 'as a cause');
    logger.error({ err: Object.assign(new Error('outer'), { inner: replyError() }) }, 'nested');
    logger.warn('sent HELLO 3 AUTH default Zq7x9w');
    const text = output();
    expect(text).not.toContain('Zq7x9w');
    expect(text.split('\n').filter(Boolean)).toHaveLength(5);
    expect(text).toContain('WRONGPASS');
  });

  it('log conversation keys as a short hash', () => {
    const { logger, output } = capture([]);
    const id = 'Y3Jvc3Mtc2l0ZS1jb252ZXJzYXRpb24taWQ';
    logger.info({ conversation: `web:${id}` }, 'turn');
    const line = JSON.parse(output()) as { conversation: string };
    expect(line.conversation).toMatch(/^web:[A-Za-z0-9_-]{12}$/);
    expect(output()).not.toContain(id);
  });
});
