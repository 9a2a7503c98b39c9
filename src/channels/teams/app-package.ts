// The Teams app package: appPackage/manifest.json (a template with ${{TEAMS_APP_ID}} and
// ${{BOT_ID}}, the Teams / Microsoft 365 Agents Toolkit convention), its
// localization and the two icons, zipped flat as Teams wants it. Validated offline against
// Microsoft's schemas, which ship in @microsoft/app-manifest (a dev dependency: tooling only,
// the running bot never imports this file).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { strToU8, zipSync } from 'fflate';

export const APP_PACKAGE_DIR = new URL('../../../appPackage/', import.meta.url);
export const BOT_ID_PLACEHOLDER = '${{BOT_ID}}';
export const APP_ID_PLACEHOLDER = '${{TEAMS_APP_ID}}';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A fixed timestamp keeps the zip byte-for-byte reproducible.
const ZIP_MTIME = new Date('2026-01-01T00:00:00Z');

export class AppPackageError extends Error {
  readonly code = 'app_package_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'AppPackageError';
  }
}

export interface ManifestJson {
  manifestVersion: string;
  icons: { color: string; outline: string };
  localizationInfo?: { additionalLanguages?: { languageTag: string; file: string }[] };
  [key: string]: unknown;
}

/** The app id defaults to the bot id (Teams accepts the same GUID for both). */
export function fillManifest(template: string, botId: string, appId: string = botId): ManifestJson {
  if (!GUID.test(botId)) throw new AppPackageError(`bot id must be the Microsoft App ID (a GUID), got "${botId}"`);
  if (!GUID.test(appId)) throw new AppPackageError(`Teams app id must be a GUID, got "${appId}"`);
  const filled = template.replaceAll(BOT_ID_PLACEHOLDER, botId.toLowerCase()).replaceAll(APP_ID_PLACEHOLDER, appId.toLowerCase());
  const leftover = /\$\{\{\w+\}\}/.exec(filled);
  if (leftover) throw new AppPackageError(`manifest.json still has the placeholder ${leftover[0]}`);
  return JSON.parse(filled) as ManifestJson;
}

/** Microsoft's JSON schema for the manifest (or its localization file), from the installed package. */
export async function loadTeamsSchema(version: string, kind: 'manifest' | 'localization'): Promise<object> {
  const file = kind === 'manifest' ? 'MicrosoftTeams.schema.json' : 'MicrosoftTeams.Localization.schema.json';
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    path = require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${version}/${file}`);
  } catch {
    throw new AppPackageError(`no bundled schema for manifestVersion ${version} in @microsoft/app-manifest`);
  }
  // The same clean-up the package applies to its schemas: \a and \v are not JavaScript regex escapes.
  const text = (await readFile(path, 'utf8')).replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return fixPatterns(JSON.parse(text) as object);
}

/** Schema validation errors (empty when valid). */
export async function validateAgainst(json: object, schema: object): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(json as never, schema as never);
}

export interface AppPackage {
  zip: Uint8Array;
  manifest: ManifestJson;
  files: string[];
}

export async function buildAppPackage(botId: string, dir: URL = APP_PACKAGE_DIR, appId: string = botId): Promise<AppPackage> {
  const manifest = fillManifest(await readFile(new URL('manifest.json', dir), 'utf8'), botId, appId);
  const problems = await validateAgainst(manifest, await loadTeamsSchema(manifest.manifestVersion, 'manifest'));
  const languages = manifest.localizationInfo?.additionalLanguages ?? [];
  const entries: Record<string, Uint8Array> = { 'manifest.json': strToU8(`${JSON.stringify(manifest, null, 2)}\n`) };
  for (const { file } of languages) {
    const text = await readFile(new URL(file, dir), 'utf8');
    const errors = await validateAgainst(JSON.parse(text) as object, await loadTeamsSchema(manifest.manifestVersion, 'localization'));
    problems.push(...errors.map((e) => `${file}: ${e}`));
    entries[file] = strToU8(text);
  }
  for (const icon of [manifest.icons.color, manifest.icons.outline]) entries[icon] = await readFile(new URL(icon, dir));
  if (problems.length > 0) throw new AppPackageError(`the manifest does not match Microsoft's schema:\n  ${problems.join('\n  ')}`);
  return { zip: zipSync(entries, { level: 9, mtime: ZIP_MTIME }), manifest, files: Object.keys(entries) };
}

/**
 * One pattern in the published localization schema ("…\b]\.description$") is not a valid
 * regular expression in unicode mode, which the validator uses; escape that lone bracket.
 */
function fixPatterns(schema: object): object {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key.replaceAll('\\b]', '\\b\\]'), typeof value === 'string' ? value : walk(value)]),
    );
  };
  return walk(schema) as object;
}
