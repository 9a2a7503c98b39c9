// Where the project's own files are, whether this module runs from src/ (tsx, tests) or from
// the bundle in dist/ (npm start): the nearest folder above it holding our package.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'apc-ups-maintenance-bot';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === PACKAGE_NAME) return dir;
    } catch {
      // not here; keep climbing
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} folder above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

export function projectPath(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}
