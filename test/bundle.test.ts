// `npm start` runs the esbuild bundle (dist/main.mjs), not the TypeScript sources: build one
// and check that it serves the web chat with the real engine, the Teams endpoint, and stops cleanly.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'node_modules/.cache/ups-bot-test/main.mjs');

describe('the bundled server', () => {
  let child: ReturnType<typeof spawn>;
  let base: URL;
  let stderr = '';

  beforeAll(async () => {
    const built = spawnSync('node', ['scripts/build.mjs', outfile], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(built.status, built.stderr).toBe(0);
    child = spawn('node', [outfile], { cwd: root, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] });
    base = await new Promise<URL>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${stderr}`)), 20_000);
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = stderr.match(/open (http:\/\/\S+) to chat/);
        if (m) {
          clearTimeout(timer);
          resolve(new URL(m[1]!));
        }
      });
    });
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('is ready and answers a web chat turn with the right SKUs', async () => {
    expect((await fetch(new URL('/readyz', base))).status).toBe(200);
    const res = await fetch(new URL('/api/chat', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversation: 'bundle-test-1', text: 'SMT1500Jのサービス型番を教えて' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { replies: { intent: string; skus: { sku: string }[] }[] };
    expect(body.replies[0]!.intent).toBe('sku_lookup');
    expect(body.replies[0]!.skus.map((s) => s.sku)).toContain('WADVPLNIP-SU-02');
  });

  it('serves the page and the Teams endpoint', async () => {
    const page = await fetch(base);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const teams = await fetch(new URL('/api/messages', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(teams.status).toBe(400);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
