// The Teams settings of src/config.ts: the Agents SDK's names (clientId, clientSecret,
// tenantId, or connections__serviceConnection__settings__*) and the Bot Framework's
// MicrosoftApp* names both work; a setting given twice with different values stops the start.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { sdkAuthConfiguration } from '../../../src/channels/teams/adapter.ts';

const ID = '11111111-2222-4333-8444-555555555555';
const TENANT = '0d9f5c2e-8b7a-4c3d-9e1f-a2b3c4d5e6f7';

describe('Teams credentials', () => {
  it('are anonymous without any, with the default limits', () => {
    expect(loadConfig({}).teams).toEqual({
      appId: undefined,
      appPassword: undefined,
      appType: 'MultiTenant',
      tenantId: undefined,
      anonymous: true,
      rateLimitPerMinute: 600,
      maxInFlight: 200,
      connectorTimeoutMs: 5_000,
      turnTimeoutMs: 8_000,
    });
  });

  it.each([
    ['the Bot Framework names', { MicrosoftAppId: ID, MicrosoftAppPassword: 'secret-value', MicrosoftAppTenantId: TENANT }],
    ['the Agents SDK names', { clientId: ID, clientSecret: 'secret-value', tenantId: TENANT }],
    ['the Agents SDK names in any case', { CLIENTID: ID, ClientSecret: 'secret-value', TENANTID: TENANT }],
    [
      'the Agents SDK connection names',
      { connections__serviceConnection__settings__clientId: ID, connections__serviceConnection__settings__clientSecret: 'secret-value', Connections__ServiceConnection__Settings__TenantId: TENANT },
    ],
    ['both, agreeing', { MicrosoftAppId: ID, clientId: ID, clientSecret: 'secret-value', tenantId: TENANT }],
  ])('are read from %s (a tenant without a type: single-tenant)', (_name, env) => {
    expect(loadConfig(env).teams).toMatchObject({ appId: ID, appPassword: 'secret-value', tenantId: TENANT, appType: 'SingleTenant', anonymous: false });
  });

  it('stay multi-tenant without a tenant, and honour MicrosoftAppType', () => {
    expect(loadConfig({ clientId: ID, clientSecret: 's' }).teams.appType).toBe('MultiTenant');
    expect(loadConfig({ clientId: ID, tenantId: TENANT, MicrosoftAppType: 'UserAssignedMSI' }).teams).toMatchObject({ appType: 'UserAssignedMSI', appPassword: undefined });
  });

  it('refuse two different values for one setting, naming the second', () => {
    expect(() => loadConfig({ MicrosoftAppId: ID, clientId: '99999999-2222-4333-8444-555555555555', clientSecret: 's' })).toThrow(ConfigError);
    expect(() => loadConfig({ MicrosoftAppId: ID, clientId: '99999999-2222-4333-8444-555555555555' })).toThrow(/clientId: differs from MicrosoftAppId/);
  });

  it('refuse a secret without an id, and a turn timeout shorter than one connector call', () => {
    expect(() => loadConfig({ clientSecret: 's' })).toThrow(/MicrosoftAppId: is required/);
    expect(() => loadConfig({ TEAMS_CONNECTOR_TIMEOUT_MS: '5000', TEAMS_TURN_TIMEOUT_MS: '1000' })).toThrow(/TEAMS_TURN_TIMEOUT_MS/);
    expect(() => loadConfig({ TEAMS_MAX_IN_FLIGHT: '0' })).toThrow(/TEAMS_MAX_IN_FLIGHT/);
  });
});

describe('the SDK configuration made from it', () => {
  it('passes every key explicitly, so variables the SDK reads itself cannot override ours', () => {
    const anonymous = sdkAuthConfiguration(loadConfig({}).teams);
    expect(Object.hasOwn(anonymous, 'clientId')).toBe(true);
    expect(anonymous.clientId).toBeUndefined();
    expect(anonymous.connections?.get('serviceConnection')).toMatchObject({ clientId: undefined });

    const single = sdkAuthConfiguration(loadConfig({ clientId: ID, clientSecret: 's3cret', tenantId: TENANT }).teams);
    expect(single).toMatchObject({ clientId: ID, clientSecret: 's3cret', tenantId: TENANT, authType: 'ClientSecret' });
    const multi = sdkAuthConfiguration(loadConfig({ MicrosoftAppId: ID, MicrosoftAppPassword: 's3cret', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: TENANT }).teams);
    expect(multi.tenantId).toBeUndefined();
    const msi = sdkAuthConfiguration(loadConfig({ clientId: ID, tenantId: TENANT, MicrosoftAppType: 'UserAssignedMSI' }).teams);
    expect(msi).toMatchObject({ authType: 'UserManagedIdentity', clientSecret: undefined });
  });
});
