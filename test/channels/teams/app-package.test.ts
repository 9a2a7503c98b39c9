// The Teams app package: manifest valid against Microsoft's own schema (offline, from
// @microsoft/app-manifest), the zip's contents, and icons of the sizes Teams demands.
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { APP_ID_PLACEHOLDER, AppPackageError, BOT_ID_PLACEHOLDER, buildAppPackage, fillManifest, loadTeamsSchema, validateAgainst, type ManifestJson } from '../../../src/channels/teams/app-package.ts';
import { drawColorIcon, drawOutlineIcon } from '../../../scripts/teams-icons.ts';

const BOT_ID = '11111111-2222-4333-8444-555555555555';
const APP_ID = '66666666-7777-4888-9999-000000000000';
const appPackage = (name: string) => new URL(`../../../appPackage/${name}`, import.meta.url);
const template = readFileSync(appPackage('manifest.json'), 'utf8');

interface Png {
  width: number;
  height: number;
  colorType: number;
  pixels: Uint8Array;
}

/** Reads the PNGs we write: 8-bit RGBA, filter 0 rows. IHDR gives the size. */
function readPng(bytes: Uint8Array): Png {
  const buf = Buffer.from(bytes);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.toString('ascii', 12, 16)).toBe('IHDR');
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const colorType = buf[25]!;
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    if (buf.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(buf.subarray(at + 8, at + 8 + length));
    at += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    pixels.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, colorType, pixels };
}

describe('manifest template', () => {
  it('is valid against the bundled schema of its manifestVersion once the bot id is filled in', async () => {
    const manifest = fillManifest(template, BOT_ID);
    const schema = await loadTeamsSchema(manifest.manifestVersion, 'manifest');
    expect(await validateAgainst(manifest, schema)).toEqual([]);
    expect(manifest['$schema']).toBe(`https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
  });

  it('has ${{TEAMS_APP_ID}} as app id and ${{BOT_ID}} as bot id (the Agents Toolkit convention), in personal, team and group chat scopes', () => {
    const raw = JSON.parse(template) as { id: string; bots: { botId: string }[] };
    expect(raw.id).toBe(APP_ID_PLACEHOLDER);
    expect(raw.bots[0]!.botId).toBe(BOT_ID_PLACEHOLDER);
    expect(template.split(BOT_ID_PLACEHOLDER)).toHaveLength(2);
    const manifest = fillManifest(template, BOT_ID.toUpperCase(), APP_ID) as ManifestJson & { id: string; bots: { botId: string; scopes: string[]; commandLists: { commands: { title: string }[] }[] }[] };
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0]!.botId).toBe(BOT_ID);
    // Without an app id of its own the bot id serves as both.
    expect((fillManifest(template, BOT_ID) as ManifestJson & { id: string }).id).toBe(BOT_ID);
    expect(manifest.bots[0]!.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(manifest.bots[0]!.commandLists.flatMap((l) => l.commands).some((c) => /[ぁ-んァ-ン一-龥]/.test(c.title))).toBe(true);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  it('is caught by the schema when broken', async () => {
    const manifest = { ...fillManifest(template, BOT_ID), accentColor: 'green', bots: [{ botId: BOT_ID, scopes: ['everywhere'] }] };
    const errors = await validateAgainst(manifest, await loadTeamsSchema(manifest.manifestVersion, 'manifest'));
    expect(errors.length).toBeGreaterThan(0);
  });

  it('refuses a bot id or app id that is not a GUID', () => {
    expect(() => fillManifest(template, 'my-bot')).toThrow(AppPackageError);
    expect(() => fillManifest(template, BOT_ID, 'my-app')).toThrow(AppPackageError);
  });

  it('has an English localization valid against its schema', async () => {
    const manifest = fillManifest(template, BOT_ID);
    const schema = await loadTeamsSchema(manifest.manifestVersion, 'localization');
    const english = JSON.parse(readFileSync(appPackage('en-us.json'), 'utf8')) as object;
    expect(await validateAgainst(english, schema)).toEqual([]);
  });
});

describe('app package zip', () => {
  it('holds the filled manifest, the localization and both icons at its root', async () => {
    const built = await buildAppPackage(BOT_ID, undefined, APP_ID);
    const files = unzipSync(built.zip);
    expect(Object.keys(files).sort()).toEqual(['color.png', 'en-us.json', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { id: string; bots: { botId: string }[] };
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0]!.botId).toBe(BOT_ID);
    expect(strFromU8(files['manifest.json']!)).not.toContain('${{');

    const color = readPng(files['color.png']!);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(files['outline.png']!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
  });

  it('is reproducible byte for byte', async () => {
    expect(Buffer.from((await buildAppPackage(BOT_ID)).zip).equals(Buffer.from((await buildAppPackage(BOT_ID)).zip))).toBe(true);
  });
});

describe('icons', () => {
  it('colour icon: 192×192, opaque, in colour', () => {
    const png = readPng(readFileSync(appPackage('color.png')));
    expect(png.colorType).toBe(6);
    const alphas = new Set<number>();
    let coloured = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      alphas.add(png.pixels[i + 3]!);
      if (png.pixels[i] !== png.pixels[i + 1]) coloured++;
    }
    expect([...alphas]).toEqual([255]);
    expect(coloured).toBeGreaterThan(192 * 192 * 0.5);
  });

  it('outline icon: 32×32, white only, transparent background', () => {
    const png = readPng(readFileSync(appPackage('outline.png')));
    let opaque = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      expect([png.pixels[i], png.pixels[i + 1], png.pixels[i + 2]]).toEqual([255, 255, 255]);
      if (png.pixels[i + 3]! > 0) opaque++;
    }
    expect(png.pixels[3]).toBe(0);
    expect(opaque).toBeGreaterThan(50);
    expect(opaque).toBeLessThan(32 * 32 * 0.6);
  });

  it('are what scripts/teams-icons.ts draws (regenerate with `npx tsx scripts/teams-icons.ts`)', () => {
    expect(Buffer.from(readPng(readFileSync(appPackage('color.png'))).pixels).equals(Buffer.from(drawColorIcon()))).toBe(true);
    expect(Buffer.from(readPng(readFileSync(appPackage('outline.png'))).pixels).equals(Buffer.from(drawOutlineIcon()))).toBe(true);
  });
});
