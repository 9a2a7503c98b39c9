#!/usr/bin/env node
// `npm test`'s pre-step ("pretest" in package.json): the system programs the tests need.
//   redis-server  the Redis and multi-instance tests (test/reliability/)
//   Chromium      the web chat end-to-end test (/usr/bin/chromium, `chromium` on PATH, or CHROMIUM_PATH)
//   a Japanese font  the same test measures the layout of Japanese text; without one Chromium
//                 draws boxes of another size (fonts-ipafont-gothic, 3.5 MB, when none is found)
// When one is missing and this runs as root with apt-get, it runs `apt-get update` and
// `apt-get install -y redis-server chromium fonts-ipafont-gothic`; otherwise it stops at once
// with one line naming the command to run, and a non-zero exit, before any test runs.
//
// Environment (also what test/scripts/test-prereqs.test.ts uses to simulate other machines):
//   PATH                        where redis-server, chromium and apt-get are looked for
//   CHROMIUM_PATH               a Chromium binary to use instead of /usr/bin/chromium
//   TEST_PREREQS_FONTS_DIR      the one folder searched for a Japanese font (default: the system's)
//   TEST_PREREQS_INSTALL=0      never install, only check (as on a machine where one cannot)
//   TEST_PREREQS_AS_ROOT=0|1    act as if (not) root, whatever the real user id
//   TEST_PREREQS_NODE_VERSION   the Node.js version to judge instead of this process's
// It first checks the Node.js version against package.json's engines (20.12+, 22, 24+).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const APT_PACKAGES = ['redis-server', 'chromium', 'fonts-ipafont-gothic'];
const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const SYSTEM_FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts'];
// Font files that cover Japanese, by the names Debian's packages give them.
const JAPANESE_FONT = /ipa|noto\w*cjk|sourcehan|takao|vlgothic|droidsansfallback|ume-|kochi/i;

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable `name` on `envPath` (a PATH string), or undefined. */
export function onPath(name, envPath = process.env.PATH ?? '') {
  for (const dir of envPath.split(path.delimiter)) {
    if (dir === '') continue;
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

/** Where the browser test finds Chromium: CHROMIUM_PATH, /usr/bin/chromium, then `chromium` on PATH. */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) return isExecutable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  if (isExecutable(DEFAULT_CHROMIUM)) return DEFAULT_CHROMIUM;
  return onPath('chromium', env.PATH);
}

/** Whether a font file covering Japanese is installed (TEST_PREREQS_FONTS_DIR, else the system's folders). */
export function hasJapaneseFont(env = process.env) {
  const dirs = env.TEST_PREREQS_FONTS_DIR ? [env.TEST_PREREQS_FONTS_DIR] : SYSTEM_FONT_DIRS;
  return dirs.some((dir) => {
    try {
      return readdirSync(dir, { recursive: true }).some((file) => JAPANESE_FONT.test(path.basename(String(file))));
    } catch {
      return false;
    }
  });
}

/** The apt packages whose programs (or, for the font, files) are missing. */
export function missingPackages(env = process.env) {
  const missing = [];
  if (onPath('redis-server', env.PATH) === undefined) missing.push('redis-server');
  if (findChromium(env) === undefined) missing.push('chromium');
  if (!hasJapaneseFont(env)) missing.push('fonts-ipafont-gothic');
  return missing;
}

function isRoot(env) {
  if (env.TEST_PREREQS_AS_ROOT === '1') return true;
  if (env.TEST_PREREQS_AS_ROOT === '0') return false;
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The one line printed when the tests cannot run, naming the command that fixes it. */
export function instruction(missing, { root, apt }) {
  const what = missing.map((m) => ({ chromium: 'Chromium', 'fonts-ipafont-gothic': 'a Japanese font' })[m] ?? m).join(' and ');
  const sudo = root ? '' : 'sudo ';
  const command = `${sudo}apt-get update && ${sudo}apt-get install -y ${APT_PACKAGES.join(' ')}`;
  const how = apt
    ? `run \`${command}\``
    : `install ${missing.length > 1 ? 'them' : 'it'} with your system's package manager (on Debian or Ubuntu: \`${command}\`; any Chromium works with CHROMIUM_PATH=/path/to/chromium)`;
  return `npm test needs ${what}, not found: ${how}, then run npm test again.`;
}

// dpkg and the packages' maintainer scripts need the system folders on PATH (ldconfig, adduser…).
const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function run(command, args, env) {
  const PATH = [...(env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SYSTEM_PATH].join(path.delimiter);
  const result = spawnSync(command, args, { env: { ...env, PATH, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    process.stderr.write(`${output}\n`);
    return false;
  }
  return true;
}

/** Whether a Node.js version (e.g. '20.20.2') is one package.json's engines allow: ^20.12 || ^22 || >=24. */
export function supportedNode(version) {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return (major === 20 && minor >= 12) || major === 22 || major >= 24;
}

export function main(env = process.env) {
  const node = env.TEST_PREREQS_NODE_VERSION || process.versions.node;
  if (!supportedNode(node)) {
    process.stderr.write(`npm test needs Node.js 20.12+, 22 or 24 (24 recommended, see .nvmrc), this is ${node}: run \`nvm install 24\` (or install Node.js 24), then npm install and npm test again.\n`);
    return 1;
  }
  const missing = missingPackages(env);
  if (missing.length === 0) return 0;
  const root = isRoot(env);
  const aptGet = onPath('apt-get', env.PATH);
  const mayInstall = root && aptGet !== undefined && env.TEST_PREREQS_INSTALL !== '0';
  if (!mayInstall) {
    process.stderr.write(`${instruction(missing, { root, apt: aptGet !== undefined })}\n`);
    return 1;
  }
  const started = Date.now();
  process.stderr.write(`npm test needs ${missing.join(' and ')}: installing with apt-get (once; a minute or two)…\n`);
  const ok = run(aptGet, ['update', '-qq'], env) && run(aptGet, ['install', '-y', '-qq', ...APT_PACKAGES], env);
  const still = missingPackages(env);
  if (!ok) {
    process.stderr.write(`apt-get could not install ${missing.join(' and ')}: ${instruction(missing, { root, apt: true })}\n`);
    return 1;
  }
  if (still.length > 0) {
    const fontOnly = still.length === 1 && still[0] === 'fonts-ipafont-gothic';
    const where = fontOnly ? 'in the font folders: install a Japanese font' : `on PATH (${env.PATH ?? ''})${still.includes('chromium') ? ' or at CHROMIUM_PATH' : ''}: fix PATH`;
    process.stderr.write(`apt-get ran, but ${still.join(' and ')} is still not found ${where}, then run npm test again.\n`);
    return 1;
  }
  process.stderr.write(`installed ${missing.join(' and ')} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  return 0;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
