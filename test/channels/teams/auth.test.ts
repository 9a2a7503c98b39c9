// With credentials configured, the Agents SDK's JWT check guards /api/messages: no token,
// forged tokens (alg none, HS256 with the public key as secret, RS256 from another key, a
// wrong audience, expired) get our JSON 401 and cause no outbound call. The Bot Framework's
// signing keys are faked with nock (the network stays off); the connector is on loopback.
import { generateKeyPairSync, createHmac, sign, type KeyObject } from 'node:crypto';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TeamsConfig } from '../../../src/config.ts';
import { buildEngine, type Engine } from '../../../src/core/index.ts';
import { LIMITS, fixture, recording, startBot, startFakeConnector, withConversation, type FakeConnector, type RecordingEngine, type RunningBot } from './harness.ts';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const CONFIG: TeamsConfig = { appId: APP_ID, appPassword: 'a-client-secret-value', appType: 'MultiTenant', tenantId: undefined, anonymous: false, ...LIMITS };
const ISSUER = 'https://api.botframework.com';
const KID = 'bot-framework-key-1';

const microsoft = generateKeyPairSync('rsa', { modulusLength: 2048 });
const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });

let realEngine: Engine;
let engine: RecordingEngine;
let connector: FakeConnector;
let bot: RunningBot;

beforeAll(async () => {
  realEngine = await buildEngine({ clock: () => new Date('2026-11-27T10:00:00+09:00') });
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
  nock('https://login.botframework.com').persist().get('/v1/.well-known/keys').reply(200, { keys: [jwk()] });
});

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

beforeEach(async () => {
  engine = recording(realEngine);
  connector = await startFakeConnector();
  bot = await startBot({ engine, config: CONFIG });
});

afterEach(async () => {
  await bot.close();
  await connector.close();
});

const jwk = () => ({ ...(microsoft.publicKey.export({ format: 'jwk' }) as object), kid: KID, use: 'sig', kty: 'RSA', endorsements: ['msteams'] });

const b64 = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: APP_ID, serviceurl: connector.url, nbf: now - 60, iat: now - 60, exp: now + 3600, ...overrides };
}

function rs256(key: KeyObject, payload: object, kid = KID): string {
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(payload)}`;
  return `${head}.${b64(sign('RSA-SHA256', Buffer.from(head), key))}`;
}

const forged: [string, () => string][] = [
  ['alg none', () => `${b64({ alg: 'none', typ: 'JWT', kid: KID })}.${b64(claims())}.`],
  [
    'HS256 signed with the public key as the secret',
    () => {
      const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: KID })}.${b64(claims())}`;
      const secret = microsoft.publicKey.export({ format: 'pem', type: 'spki' });
      return `${head}.${b64(createHmac('sha256', secret).update(head).digest())}`;
    },
  ],
  ['RS256 from another key, with the real key id', () => rs256(attacker.privateKey, claims())],
  ['RS256 from another key, with an unknown key id', () => rs256(attacker.privateKey, claims(), 'attacker-key')],
  ['the real key but another audience', () => rs256(microsoft.privateKey, claims({ aud: '99999999-2222-4333-8444-555555555555' }))],
  ['the real key but expired', () => rs256(microsoft.privateKey, claims({ exp: Math.floor(Date.now() / 1000) - 3600 }))],
  ['not a JWT at all', () => 'hello'],
];

/** Entra ID as MSAL sees it for the client-credentials flow of a multi-tenant bot. */
function fakeEntraId(): void {
  const base = 'https://login.microsoftonline.com/botframework.com';
  const metadata = {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    issuer: 'https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0',
    jwks_uri: `${base}/discovery/v2.0/keys`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
  };
  nock('https://login.microsoftonline.com')
    .persist()
    .get(/\/discovery\/instance/)
    .reply(200, { tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`, metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com'] }] })
    .get(/openid-configuration/)
    .reply(200, metadata)
    .post(/oauth2\/v2\.0\/token/)
    .reply(200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: 'bot-access-token' });
}

const personal = () => withConversation(fixture('personal-message', connector.url), `a:auth-${Math.random().toString(36).slice(2)}`);

describe('with credentials', () => {
  it('answers a request without a token with our JSON 401 and calls nothing', async () => {
    for (const serviceUrl of ['https://smba.trafficmanager.net/jp/', connector.url]) {
      const res = await bot.post(fixture('personal-message', serviceUrl));
      expect(res.status, serviceUrl).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'A valid Bot Framework token is required' } });
    }
    expect(connector.calls).toEqual([]);
    expect(engine.turns).toEqual([]);
  });

  it.each(forged)('answers a forged token (%s) with our JSON 401, calls nothing, and logs no token', async (_name, token) => {
    const raw = token();
    const res = await bot.post(personal(), { headers: { authorization: `Bearer ${raw}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'A valid Bot Framework token is required' } });
    expect(connector.calls).toEqual([]);
    expect(engine.turns).toEqual([]);
    expect(bot.logs.some((l) => l.msg === 'Teams request not authenticated')).toBe(true);
    expect(JSON.stringify(bot.logs)).not.toContain(raw.split('.')[1] ?? raw);
  });

  it('answers a malformed Authorization header with 401 as well', async () => {
    for (const authorization of ['Basic dXNlcjpwdw==', 'Bearer', 'Bearer a b']) {
      const res = await bot.post(personal(), { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
    }
    expect(connector.calls).toEqual([]);
  });

  it('answers a token signed by the Bot Framework key, replying with the bot\'s own Entra ID token', async () => {
    fakeEntraId();
    const res = await bot.post(personal(), { headers: { authorization: `Bearer ${rs256(microsoft.privateKey, claims())}` } });
    expect(res.status).toBe(200);
    expect(engine.turns).toHaveLength(1);
    const [message] = connector.messages();
    expect(message?.authorization).toBe('Bearer bot-access-token');
  });

  it('bounds the wait for its own Entra ID token: a token endpoint that never answers ends the request', async () => {
    nock.cleanAll();
    nock('https://login.botframework.com').persist().get('/v1/.well-known/keys').reply(200, { keys: [jwk()] });
    nock('https://login.microsoftonline.com').persist().get(/.*/).delay(60_000).reply(200, {}).post(/.*/).delay(60_000).reply(200, {});
    // Another app id: the SDK keeps tokens it already has for the first one.
    const appId = '22222222-2222-4333-8444-555555555555';
    const other = await startBot({ engine, config: { ...CONFIG, appId, connectorTimeoutMs: 300, turnTimeoutMs: 600 } });
    try {
      const t0 = performance.now();
      const res = await other.post(personal(), { headers: { authorization: `Bearer ${rs256(microsoft.privateKey, claims({ aud: appId }))}` } });
      expect(performance.now() - t0).toBeLessThan(5_000);
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ error: { code: 'internal' } });
      expect(connector.calls).toEqual([]);
    } finally {
      await other.close();
      nock.cleanAll();
      nock('https://login.botframework.com').persist().get('/v1/.well-known/keys').reply(200, { keys: [jwk()] });
    }
  });

  it('refuses a genuine token whose serviceurl claim names another host than the activity', async () => {
    fakeEntraId();
    const token = rs256(microsoft.privateKey, claims({ serviceurl: 'https://smba.trafficmanager.net/jp/' }));
    const res = await bot.post(personal(), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(400);
    expect(connector.calls).toEqual([]);
    expect(engine.turns).toEqual([]);
  });
});
