// Requests an attacker (or a misbehaving platform) sends, shaped once here.
import { createHmac, randomBytes } from 'node:crypto';

export const SIGNING_SECRET = 'chaos-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-chaos-0000000000-0000000000-ChAoSChAoSChAoSChAoS';

let sequence = 0;
export const next = (): number => ++sequence;

export function slackHeaders(rawBody: string, contentType: string, timestamp = Math.floor(Date.now() / 1000), extra: Record<string, string> = {}): Record<string, string> {
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  return { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature, ...extra };
}

export function dmEvent(text: string, user = `U0CHAOS${next()}`): { body: string; eventId: string; user: string } {
  const n = next();
  const ts = `${1764150000 + n}.${String(n).padStart(6, '0')}`;
  const eventId = `Ev0CHAOS${String(n).padStart(6, '0')}`;
  const body = JSON.stringify({
    token: 'unused',
    team_id: 'T0CHAOS01',
    api_app_id: 'A0CHAOS01',
    type: 'event_callback',
    event_id: eventId,
    event_time: 1764150000 + n,
    event: { type: 'message', channel_type: 'im', channel: `D0${user}`, user, text, ts, event_ts: ts, team: 'T0CHAOS01' },
    authorizations: [{ team_id: 'T0CHAOS01', user_id: 'U0CHAOSBOT', is_bot: true }],
  });
  return { body, eventId, user };
}

export function slashCommand(responseUrl: string, text: string): string {
  return new URLSearchParams({
    token: 'unused',
    team_id: 'T0CHAOS01',
    channel_id: 'C0CHAOS01',
    user_id: `U0SLASH${next()}`,
    command: '/ups',
    text,
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${next()}.${randomBytes(8).toString('hex')}`,
  }).toString();
}

export function teamsActivity(serviceUrl: string, conversation: string, text: string): Record<string, unknown> {
  const n = next();
  return {
    type: 'message',
    id: `chaos-${n}`,
    channelId: 'msteams',
    serviceUrl,
    from: { id: `29:chaos-${n}` },
    recipient: { id: '28:bot' },
    conversation: { id: conversation, conversationType: 'personal' },
    text,
  };
}
