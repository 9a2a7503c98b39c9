// scripts/test-prereqs.mjs (`npm test`'s pre-step) on simulated machines: PATH decides what
// is installed, fake apt-get programs record what they are asked, TEST_PREREQS_AS_ROOT and
// TEST_PREREQS_INSTALL stand for the user and for a machine where nothing can be installed.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(root, 'scripts/test-prereqs.mjs');

let dir: string;
let bin: string;
let fonts: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'test-prereqs-'));
  bin = path.join(dir, 'bin');
  fonts = path.join(dir, 'fonts');
  mkdirSync(bin);
  mkdirSync(fonts);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An executable in the simulated PATH; `body` is JavaScript run by this Node. */
function program(name: string, body = ''): string {
  const file = path.join(bin, name);
  writeFileSync(file, `#!${process.execPath}\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** A Japanese font in the simulated font folder, as Debian's fonts-ipafont-gothic installs it. */
function japaneseFont(): void {
  mkdirSync(path.join(fonts, 'opentype/ipafont-gothic'), { recursive: true });
  writeFileSync(path.join(fonts, 'opentype/ipafont-gothic/ipag.ttf'), '');
}

/** A fake apt-get: logs its arguments; `install` puts fake redis-server and chromium on PATH and a font in place unless told to fail. */
function fakeAptGet(opts: { fail?: boolean; installNothing?: boolean } = {}): string {
  const log = path.join(dir, 'apt.log');
  program(
    'apt-get',
    `const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, args.join(' ') + '\\n');
if (args[0] === 'install') {
  if (${opts.fail === true}) { console.error('E: Unable to locate package chromium'); process.exit(100); }
  if (${opts.installNothing === true}) process.exit(0);
  for (const p of ['redis-server', 'chromium']) { fs.writeFileSync(${JSON.stringify(bin)} + '/' + p, '#!/bin/sh\\n'); fs.chmodSync(${JSON.stringify(bin)} + '/' + p, 0o755); }
  fs.writeFileSync(${JSON.stringify(fonts)} + '/ipag.ttf', '');
}`,
  );
  return log;
}

function prereqs(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [script], {
    cwd: root,
    // Nothing of the real machine: only the simulated bin folder, and no real Chromium.
    env: { PATH: bin, CHROMIUM_PATH: path.join(dir, 'no-chromium'), TEST_PREREQS_FONTS_DIR: fonts, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  return { status: result.status, stdout: result.stdout, lines };
}

describe('npm test pre-step (scripts/test-prereqs.mjs)', () => {
  it('says nothing and exits 0 when redis-server, Chromium and a Japanese font are there', () => {
    japaneseFont();
    program('redis-server');
    const chromium = program('chromium');
    expect(prereqs({ CHROMIUM_PATH: chromium })).toEqual({ status: 0, stdout: '', lines: [] });
  });

  it('finds chromium on PATH when /usr/bin/chromium is not used', () => {
    japaneseFont();
    program('redis-server');
    program('chromium');
    const { status, lines } = prereqs({ CHROMIUM_PATH: '' });
    // Either /usr/bin/chromium (on this machine) or the one on PATH: both are fine.
    expect({ status, lines }).toEqual({ status: 0, lines: [] });
  });

  it.each(['18.20.4', '20.11.1', '21.7.3', '23.1.0'])('refuses Node.js %s with one line, before looking at anything else', (version) => {
    const log = fakeAptGet();
    const { status, lines } = prereqs({ TEST_PREREQS_NODE_VERSION: version, TEST_PREREQS_AS_ROOT: '1' });
    expect(status).toBe(1);
    expect(lines).toEqual([
      `npm test needs Node.js 20.12+, 22 or 24 (24 recommended, see .nvmrc), this is ${version}: run \`nvm install 24\` (or install Node.js 24), then npm install and npm test again.`,
    ]);
    expect(existsSync(log)).toBe(false);
  });

  it('accepts the Node.js versions of package.json engines', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('^20.12.0 || ^22.0.0 || >=24.0.0');
    // The lockfile's copy too, or a fresh clone's `npm install` rewrites it.
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: unknown }> };
    expect(lock.packages['']!.engines).toEqual(pkg.engines);
    japaneseFont();
    program('redis-server');
    const chromium = program('chromium');
    for (const version of ['20.12.0', '20.20.2', '22.0.0', '22.23.5', '24.22.3', '26.12.1']) {
      expect(prereqs({ CHROMIUM_PATH: chromium, TEST_PREREQS_NODE_VERSION: version }).status, version).toBe(0);
    }
  });

  it('without redis-server, where nothing may be installed: one line naming the command, exit 1', () => {
    const log = fakeAptGet();
    japaneseFont();
    program('chromium');
    const { status, stdout, lines } = prereqs({ CHROMIUM_PATH: path.join(bin, 'chromium'), TEST_PREREQS_AS_ROOT: '1', TEST_PREREQS_INSTALL: '0' });
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(lines).toEqual(['npm test needs redis-server, not found: run `apt-get update && apt-get install -y redis-server chromium fonts-ipafont-gothic`, then run npm test again.']);
    expect(existsSync(log)).toBe(false);
  });

  it('as a normal user: names the command with sudo and runs no apt-get', () => {
    const log = fakeAptGet();
    const { status, lines } = prereqs({ TEST_PREREQS_AS_ROOT: '0' });
    expect(status).toBe(1);
    expect(lines).toEqual([
      'npm test needs redis-server and Chromium and a Japanese font, not found: run `sudo apt-get update && sudo apt-get install -y redis-server chromium fonts-ipafont-gothic`, then run npm test again.',
    ]);
    expect(existsSync(log)).toBe(false);
  });

  it('as root on a machine without apt-get: one line saying what to install', () => {
    const { status, lines } = prereqs({ TEST_PREREQS_AS_ROOT: '1' });
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npm test needs redis-server and Chromium and a Japanese font, not found: install them with your system's package manager/);
    expect(lines[0]).toContain('apt-get install -y redis-server chromium fonts-ipafont-gothic');
    expect(lines[0]).toContain('CHROMIUM_PATH');
  });

  it('as root with apt-get: apt-get update, then apt-get install -y redis-server chromium fonts-ipafont-gothic, then exit 0', () => {
    const log = fakeAptGet();
    const { status, lines } = prereqs({ TEST_PREREQS_AS_ROOT: '1', CHROMIUM_PATH: '' });
    expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toEqual(['update -qq', 'install -y -qq redis-server chromium fonts-ipafont-gothic']);
    expect(status).toBe(0);
    expect(lines[0]).toMatch(/installing with apt-get/);
    expect(lines.at(-1)).toMatch(/^installed redis-server/);
  });

  it('as root when apt-get fails: apt-get’s last words and the command to run, exit 1', () => {
    fakeAptGet({ fail: true });
    const { status, lines } = prereqs({ TEST_PREREQS_AS_ROOT: '1' });
    expect(status).toBe(1);
    expect(lines).toContain('E: Unable to locate package chromium');
    expect(lines.at(-1)).toMatch(/^apt-get could not install redis-server and chromium and fonts-ipafont-gothic: .*apt-get install -y redis-server chromium fonts-ipafont-gothic/);
  });

  it('with everything but a Japanese font: installs the font alone and checks it arrived', () => {
    program('redis-server');
    const chromium = program('chromium');
    const log = fakeAptGet({ installNothing: true });
    const missing = prereqs({ CHROMIUM_PATH: chromium, TEST_PREREQS_AS_ROOT: '1', TEST_PREREQS_INSTALL: '0' });
    expect(missing.status).toBe(1);
    expect(missing.lines).toEqual(['npm test needs a Japanese font, not found: run `apt-get update && apt-get install -y redis-server chromium fonts-ipafont-gothic`, then run npm test again.']);
    const still = prereqs({ CHROMIUM_PATH: chromium, TEST_PREREQS_AS_ROOT: '1' });
    expect(readFileSync(log, 'utf8')).toContain('install -y -qq redis-server chromium fonts-ipafont-gothic');
    expect(still.status).toBe(1);
    expect(still.lines.at(-1)).toBe('apt-get ran, but fonts-ipafont-gothic is still not found in the font folders: install a Japanese font, then run npm test again.');
  });

  it('as root when apt-get succeeds but the program is still not on PATH: says so, exit 1', () => {
    fakeAptGet({ installNothing: true });
    japaneseFont();
    program('chromium');
    const { status, lines } = prereqs({ TEST_PREREQS_AS_ROOT: '1', CHROMIUM_PATH: path.join(bin, 'chromium') });
    expect(status).toBe(1);
    expect(lines.at(-1)).toBe(`apt-get ran, but redis-server is still not found on PATH (${bin}): fix PATH, then run npm test again.`);
  });
});
