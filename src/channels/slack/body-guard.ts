// In front of Bolt on POST /slack/events: reads the body once (Bolt then uses req.rawBody, so
// the signature is still checked over the exact bytes) and turns away bodies that cannot be a
// Slack request (JSON null, arrays, strings, form posts without payload/command/ssl_check).
// Bolt would answer those with a 500, or wait its 3-second ack timeout and then 404.
// It also refuses request timestamps more than five minutes in the future: Bolt checks only
// the past side, so a signed request stamped ahead could be replayed for as long as its stamp.
import express, { type RequestHandler } from 'express';
import { sendJsonError } from '../../server.ts';

// Bolt's own default; a block_actions payload carries the clicked message's blocks, URL-encoded.
export const SLACK_BODY_LIMIT_BYTES = 4 * 1024 * 1024;
/** Slack's own replay window, applied to both sides of the clock. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export function slackBodyGuard(limitBytes = SLACK_BODY_LIMIT_BYTES): RequestHandler {
  const read = express.raw({ type: () => true, limit: limitBytes });
  return (req, res, next) => {
    const stamp = Number(req.get('x-slack-request-timestamp'));
    if (Number.isFinite(stamp) && stamp - Date.now() / 1000 > MAX_CLOCK_SKEW_SECONDS) {
      return sendJsonError(res, 401, 'invalid_timestamp', 'Request timestamp is in the future');
    }
    read(req, res, (err?: unknown) => {
      if (err !== undefined && err !== null) {
        const { type } = err as { type?: unknown };
        if (type === 'entity.too.large') return sendJsonError(res, 413, 'payload_too_large', 'Request body is too large');
        return sendJsonError(res, 400, 'invalid_body', 'Request body could not be read');
      }
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      (req as { rawBody?: Buffer }).rawBody = raw;
      if (!couldBeSlack(raw.toString('utf8'), req.get('content-type') ?? '')) {
        return sendJsonError(res, 400, 'invalid_body', 'Not a Slack request body');
      }
      next();
    });
  };
}

function couldBeSlack(body: string, contentType: string): boolean {
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(body);
    const payload = form.get('payload');
    if (payload !== null) return isObject(payload);
    return form.has('command') || form.has('ssl_check');
  }
  return isObject(body);
}

function isObject(json: string): boolean {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
