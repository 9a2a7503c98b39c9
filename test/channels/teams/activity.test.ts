import { describe, expect, it } from 'vitest';
import { IncomingActivitySchema, activityLocale, isLoopbackAddress, isLoopbackServiceUrl, langOfLocale } from '../../../src/channels/teams/activity.ts';

describe('isLoopbackServiceUrl', () => {
  it.each([
    ['http://localhost:3978', true],
    ['https://localhost/', true],
    ['http://127.0.0.1:52345/', true],
    ['http://127.10.20.30/', true],
    ['http://127.1:8080/', true],
    ['http://[::1]:3978/', true],
    ['http://LOCALHOST:1/', true],
    ['https://smba.trafficmanager.net/jp/', false],
    ['http://localhost.attacker.example/', false],
    ['http://127.0.0.1.nip.io/', false],
    ['http://10.0.0.1/', false],
    ['http://[::ffff:7f00:1]/', false],
    ['http://0.0.0.0/', false],
    ['http://user:pw@127.0.0.1/', false],
    ['ftp://127.0.0.1/', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isLoopbackServiceUrl(url)).toBe(expected);
  });
});

describe('isLoopbackAddress (the TCP peer)', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.3.4.5', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.0.2.2', false],
    ['::ffff:192.0.2.2', false],
    ['fd00::2', false],
    ['0.0.0.0', false],
    ['::', false],
    ['', false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
  it('is false when the address is unknown', () => expect(isLoopbackAddress(undefined)).toBe(false));
});

describe('IncomingActivitySchema', () => {
  const minimal = { type: 'message', channelId: 'emulator', serviceUrl: 'http://localhost:1', conversation: { id: 'c' }, recipient: { id: 'bot' } };

  it('accepts the minimal activity and keeps unknown fields', () => {
    const parsed = IncomingActivitySchema.parse({ ...minimal, channelData: { x: 1 } });
    expect(parsed['channelData']).toEqual({ x: 1 });
  });

  // recipient: the SDK cannot address a reply without it (it answered 500).
  it.each([['type'], ['channelId'], ['serviceUrl'], ['conversation'], ['recipient']])('rejects an activity without %s', (field) => {
    expect(IncomingActivitySchema.safeParse({ ...minimal, [field]: undefined }).success).toBe(false);
  });

  it('rejects non-objects', () => {
    for (const body of [null, 'text', 42, [minimal]]) expect(IncomingActivitySchema.safeParse(body).success).toBe(false);
  });
});

describe('locale', () => {
  it('maps ja-* and en-* and leaves others to the engine', () => {
    expect(langOfLocale('ja-JP')).toBe('ja');
    expect(langOfLocale('en-US')).toBe('en');
    expect(langOfLocale('en_GB')).toBe('en');
    expect(langOfLocale('fr-FR')).toBeUndefined();
    expect(langOfLocale(undefined)).toBeUndefined();
  });

  it('falls back to the clientInfo entity', () => {
    const activity = IncomingActivitySchema.parse({
      type: 'message',
      channelId: 'msteams',
      serviceUrl: 'http://localhost:1',
      conversation: { id: 'c' },
      recipient: { id: 'bot' },
      entities: [{ type: 'clientInfo', locale: 'en-US' }],
    });
    expect(activityLocale(activity)).toBe('en-US');
  });
});
