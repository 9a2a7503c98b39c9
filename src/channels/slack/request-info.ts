// What a log line may say about a Slack request that went wrong: its kind and ids, never
// its text, token or signature.
import type { IncomingMessage } from 'node:http';

export interface SlackRequestInfo {
  kind?: string;
  eventId?: string;
  eventType?: string;
  command?: string;
  retryNum?: string;
}

export function describeSlackRequest(request: IncomingMessage & { rawBody?: Buffer; body?: unknown }): SlackRequestInfo {
  const info: SlackRequestInfo = {};
  const retry = request.headers['x-slack-retry-num'];
  if (typeof retry === 'string') info.retryNum = retry;
  const body = parse(request);
  if (body === undefined) return info;
  if (typeof body.type === 'string') info.kind = body.type;
  if (typeof body.event_id === 'string') info.eventId = body.event_id;
  const event = body.event as Record<string, unknown> | undefined;
  if (typeof event?.type === 'string') info.eventType = event.type;
  if (typeof body.command === 'string') {
    info.kind = 'slash_command';
    info.command = body.command;
  }
  return info;
}

function parse(request: { rawBody?: Buffer; body?: unknown; headers: IncomingMessage['headers'] }): Record<string, unknown> | undefined {
  try {
    const raw = Buffer.isBuffer(request.rawBody) ? request.rawBody.toString('utf8') : typeof request.body === 'string' ? request.body : undefined;
    if (raw === undefined) return typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : undefined;
    if ((request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(raw);
      const payload = form.get('payload');
      return payload !== null ? (JSON.parse(payload) as Record<string, unknown>) : Object.fromEntries(form);
    }
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
