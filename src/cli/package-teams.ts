// npm run package:teams [-- --bot-id <guid>] [--app-id <guid>] [--out dist/teams-app.zip]
// Writes the Teams app package (manifest with the bot id filled in, localization, icons).
// The bot id comes from --bot-id, else from MicrosoftAppId / clientId (read through config.ts);
// the Teams app id from --app-id, else the bot id.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppPackageError, buildAppPackage } from '../channels/teams/app-package.ts';
import { ConfigError, loadConfig } from '../config.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'bot-id': { type: 'string' },
      'app-id': { type: 'string' },
      out: { type: 'string', default: 'dist/teams-app.zip' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('usage: npm run package:teams [-- --bot-id <Microsoft App ID>] [--app-id <Teams app GUID>] [--out dist/teams-app.zip]\n');
    return;
  }
  if (values['bot-id'] === undefined && existsSync('.env')) process.loadEnvFile('.env');
  const botId = values['bot-id'] ?? loadConfig().teams.appId;
  if (botId === undefined) {
    throw new AppPackageError('no bot id: set clientId or MicrosoftAppId (environment or .env) or pass --bot-id <guid>');
  }
  const appPackage = await buildAppPackage(botId, undefined, values['app-id'] ?? botId);
  const out = resolve(values.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, appPackage.zip);
  process.stdout.write(`wrote ${out} (${appPackage.files.join(', ')}; manifest ${appPackage.manifest.manifestVersion}, app ${String(appPackage.manifest['id'])}, bot ${botId})\n`);
}

try {
  await main();
} catch (err) {
  if (err instanceof AppPackageError || err instanceof ConfigError) {
    process.stderr.write(`package:teams: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
