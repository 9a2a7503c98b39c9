// manifest.json against what Slack requires of an app manifest (field presence, lengths,
// formats) and against what this bot needs (events, scopes, the shared endpoint).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SLACK_EVENTS_PATH } from '../../../src/channels/slack/index.ts';

const manifest: unknown = JSON.parse(readFileSync(new URL('../../../manifest.json', import.meta.url), 'utf8'));

const httpsUrl = z.url({ protocol: /^https$/ });

// The rules of Slack's manifest reference (docs.slack.dev/reference/app-manifest).
const ManifestSchema = z.object({
  _metadata: z.object({ major_version: z.number().int().min(1), minor_version: z.number().int().min(0) }).optional(),
  display_information: z.object({
    name: z.string().min(1).max(35),
    description: z.string().min(1).max(140).optional(),
    long_description: z.string().min(175).max(4000).optional(),
    background_color: z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/).optional(),
  }),
  features: z.object({
    app_home: z.object({
      home_tab_enabled: z.boolean(),
      messages_tab_enabled: z.boolean(),
      messages_tab_read_only_enabled: z.boolean(),
    }),
    bot_user: z.object({ display_name: z.string().min(1).max(80), always_online: z.boolean().optional() }),
    slash_commands: z.array(
      z.object({
        command: z.string().regex(/^\/[a-z0-9_-]{1,31}$/),
        url: httpsUrl.optional(),
        description: z.string().min(1).max(2000),
        usage_hint: z.string().max(1000).optional(),
        should_escape: z.boolean().optional(),
      }),
    ),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string().regex(/^[a-z_.]+:?[a-z_.]*$/)).max(255) }) }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: httpsUrl.optional(), bot_events: z.array(z.string()).max(100) }),
    interactivity: z.object({ is_enabled: z.boolean(), request_url: httpsUrl.optional() }),
    org_deploy_enabled: z.boolean().optional(),
    socket_mode_enabled: z.boolean(),
    token_rotation_enabled: z.boolean().optional(),
  }),
});

/** Each bot event needs its scope, or Slack refuses the manifest. */
const EVENT_SCOPES: Record<string, string> = {
  app_mention: 'app_mentions:read',
  'message.im': 'im:history',
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
};

describe('manifest.json', () => {
  const parsed = ManifestSchema.safeParse(manifest);

  it('has every field Slack requires, within its limits', () => {
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  const m = parsed.data!;

  it('has a Japanese description', () => {
    expect(m.display_information.description).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  });

  it('subscribes to the events the bot handles, with their scopes', () => {
    expect([...m.settings.event_subscriptions.bot_events].sort()).toEqual(['app_home_opened', 'app_mention', 'message.channels', 'message.groups', 'message.im']);
    for (const event of m.settings.event_subscriptions.bot_events) {
      if (EVENT_SCOPES[event]) expect(m.oauth_config.scopes.bot).toContain(EVENT_SCOPES[event]);
    }
    for (const scope of ['chat:write', 'commands', 'im:read', 'im:write']) expect(m.oauth_config.scopes.bot).toContain(scope);
  });

  it('sends events, interactivity and /ups to the shared /slack/events endpoint', () => {
    const urls = [m.settings.event_subscriptions.request_url, m.settings.interactivity.request_url, ...m.features.slash_commands.map((c) => c.url)];
    for (const url of urls) expect(new URL(url!).pathname).toBe(SLACK_EVENTS_PATH);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(['/ups']);
  });

  it('lets users DM the bot and shows the App Home', () => {
    expect(m.features.app_home).toEqual({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false });
  });
});
