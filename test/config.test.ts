// Configuration: the variables of issue 13 (state budget, new conversations per client, the
// shutdown deadline) with their defaults and errors, and a README that names every variable.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, EnvSchema, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('defaults: 6,000 conversations per channel, 60 new web conversations per client an hour, a 10 s shutdown', () => {
    const config = loadConfig({});
    expect(config.stateMaxConversations).toBe(6_000);
    expect(config.webNewConversationsPerHour).toBe(60);
    expect(config.shutdownTimeoutMs).toBe(10_000);
  });

  it('reads them', () => {
    const config = loadConfig({ STATE_MAX_CONVERSATIONS: '200000', WEB_NEW_CONVERSATIONS_PER_HOUR: '5', SHUTDOWN_TIMEOUT_SECONDS: '2.5' });
    expect(config).toMatchObject({ stateMaxConversations: 200_000, webNewConversationsPerHour: 5, shutdownTimeoutMs: 2_500 });
  });

  it.each([
    ['SHUTDOWN_TIMEOUT_SECONDS', '0'],
    ['SHUTDOWN_TIMEOUT_SECONDS', 'soon'],
    ['STATE_MAX_CONVERSATIONS', '5'],
    ['WEB_NEW_CONVERSATIONS_PER_HOUR', '-1'],
  ])('names the variable when %s=%s is wrong', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });

  it('every variable is in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(EnvSchema.shape)) expect(readme, name).toContain(`\`${name}\``);
  });
});
