// The web chat in a real headless Chromium against the real engine, served in-process.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebChannel } from '../../../src/channels/web/index.ts';
import { buildEngine } from '../../../src/core/index.ts';
import { createLogger } from '../../../src/logger.ts';
import { createServer, type Server } from '../../../src/server.ts';

// As `npm test`'s pre-step (scripts/test-prereqs.mjs) finds it: CHROMIUM_PATH, /usr/bin/chromium
// (Debian's package), or `chromium` on PATH.
function findChromium(): string | undefined {
  const candidates = process.env['CHROMIUM_PATH']
    ? [process.env['CHROMIUM_PATH']]
    : ['/usr/bin/chromium', ...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'chromium'))];
  return candidates.find((c) => existsSync(c));
}
const CHROMIUM = findChromium() ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];
const STORAGE_KEY = 'apc-ups-chat:v1';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

// `npm test` installs Chromium or stops before any test when it cannot; run directly
// (npx vitest) without it, the suite says so and skips, except in CI where it must run.
const hasChromium = findChromium() !== undefined || process.env.CI !== undefined;
if (!hasChromium) console.warn('web chat e2e skipped: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)');

describe.runIf(hasChromium)('web chat in a browser', () => {
  let server: Server;
  let baseUrl: URL;
  let userDataDir: string;
  let context: BrowserContext;

  beforeAll(async () => {
    const logger = createLogger('silent');
    const engine = await buildEngine({ logger });
    const web = createWebChannel({ config: { webRateLimitPerMinute: 1000, logUserText: false }, engine, logger });
    server = createServer({ config: { port: 0, host: '127.0.0.1' }, channels: [web], logger, isReady: () => true });
    baseUrl = await server.listen();
    userDataDir = await mkdtemp(join(tmpdir(), 'webchat-e2e-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      locale: 'ja-JP',
      viewport: { width: 900, height: 1000 },
    });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  /** Each test gets its own tab, so its own sessionStorage and conversation. */
  async function openChat(viewport: { width: number; height: number } = DESKTOP): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    await page.goto(baseUrl.href);
    await waitForBotMessages(page, 1);
    return page;
  }

  async function botCount(page: Page): Promise<number> {
    return page.locator('#log .msg.bot').count();
  }

  async function waitForBotMessages(page: Page, atLeast: number): Promise<void> {
    await page.waitForFunction(
      (n) => document.querySelectorAll('#log .msg.bot').length >= n && document.getElementById('log')?.getAttribute('aria-busy') !== 'true',
      atLeast,
    );
  }

  /** A page whose browser prefers English, with the greeting shown. */
  async function englishPage(): Promise<Page> {
    const page = await context.newPage();
    await page.addInitScript(() => Object.defineProperty(navigator, 'languages', { get: () => ['en-US', 'en'] }));
    await page.goto(baseUrl.href);
    await waitForBotMessages(page, 1);
    return page;
  }

  async function ask(page: Page, text: string): Promise<string> {
    const before = await botCount(page);
    await page.getByRole('textbox').fill(text);
    await page.getByRole('textbox').press('Enter');
    await waitForBotMessages(page, before + 1);
    return (await page.locator('#log .msg.bot').nth(before).innerText()).trim();
  }

  async function click(page: Page, choiceId: string): Promise<void> {
    const before = await botCount(page);
    await page.locator(`#log button.choice[data-choice="${choiceId}"]:enabled`).last().click({ timeout: 5_000 });
    await waitForBotMessages(page, before + 1);
  }

  /** Answers the guided dialog by choice ids until the SKU table appears. */
  async function completeRecommendation(page: Page): Promise<void> {
    const preferred = ['timing:owned', 'downtime:minimize', 'self_service:no', 'response_24x7:no'];
    await ask(page, 'SMT1500Jの保守を選びたい');
    for (let step = 0; step < 8 && (await page.locator('#log table.skus').count()) === 0; step++) {
      const offered = await page.locator('#log button.choice:enabled').evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.choice ?? ''));
      const pick = preferred.find((id) => offered.includes(id)) ?? offered.find((id) => id.startsWith('years:'));
      expect(pick, `no expected choice among ${offered.join(', ')}`).toBeDefined();
      await click(page, pick!);
    }
  }

  it('answers an FAQ typed in Japanese', async () => {
    const page = await openChat();
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    const answer = await ask(page, '無償保証で何が受けられますか');
    expect(answer).toContain('先出しセンドバック');
    await expect.poll(() => page.locator('#log .msg.user').last().innerText()).toContain('無償保証で何が受けられますか');
    await page.close();
  });

  it('walks through a recommendation by clicking choices and shows the SKU table', async () => {
    const page = await openChat();
    await completeRecommendation(page);
    const table = page.locator('#log table.skus').last();
    await expect.poll(() => table.locator('th').allInnerTexts()).toEqual(['サービス型番', '内容']);
    expect(await table.locator('caption').innerText()).toBe('サービス型番（SMT1500J）');
    expect(await table.locator('tbody tr').first().locator('td').allInnerTexts()).toEqual(['WADVPLNIP-SU-02', '年間保守サービス・翌営業日オンサイト・1年']);
    const tel = page.locator('#log .handoff a[href^="tel:"]').last();
    if ((await tel.count()) > 0) expect(await tel.getAttribute('href')).toBe('tel:0345784697');
    await page.close();
  });

  it('shows the screenshots of the README: a recommendation on a desktop and on a phone', async () => {
    await mkdir('test-artifacts', { recursive: true });
    for (const [name, viewport] of [['', DESKTOP], ['-phone', PHONE]] as const) {
      const page = await openChat(viewport);
      await ask(page, 'SMT1500Jの保守を選びたい');
      await click(page, 'timing:owned');
      await click(page, 'downtime:minimize');
      await click(page, 'response_24x7:no');
      await page.mouse.move(0, 0); // no hover highlight in the picture
      await page.screenshot({ path: `test-artifacts/screenshot-webchat${name}.png` });
      // The README's pictures change only on request: they need Japanese fonts (fonts-noto-cjk) to look right.
      if (process.env.UPDATE_SCREENSHOT === '1') await copyFile(`test-artifacts/screenshot-webchat${name}.png`, `docs/screenshot-webchat${name}.png`);
      await page.close();
    }
  });

  for (const [label, viewport] of [['desktop', DESKTOP], ['375×812', PHONE]] as const) {
    describe(`layout at ${label}`, () => {
      it('never grows the document past the chat, however many messages: no blank page to scroll into', async () => {
        const page = await openChat(viewport);
        const questions = ['無償保証で何が受けられますか', 'SMT1500Jのサービス型番', '年間保守とサービスパックの違いは？', 'コールセンターの電話番号は？', 'センドバックとオンサイトの違い', 'サービスパックの登録方法'];
        for (let i = 0; (await botCount(page)) < 13; i++) await ask(page, questions[i % questions.length]!);
        const sizes = await page.evaluate(() => {
          window.scrollTo(0, 100_000);
          return { scrollHeight: document.documentElement.scrollHeight, innerHeight: window.innerHeight, scrollY: window.scrollY, bodyScroll: document.body.scrollHeight };
        });
        expect(sizes.scrollHeight).toBeLessThanOrEqual(sizes.innerHeight);
        expect(sizes.bodyScroll).toBeLessThanOrEqual(sizes.innerHeight);
        expect(sizes.scrollY).toBe(0);
        // The log itself scrolls, and its last message is reachable.
        const last = await page.locator('#log .msg').last().boundingBox();
        expect(last).not.toBeNull();
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
        await page.close();
      });

      it('shows a long reply from its first line, keeps the phone number on one line', async () => {
        const page = await openChat(viewport);
        await ask(page, '無償保証で何が受けられますか');
        await ask(page, 'SMT1500Jのサービス型番を教えて');
        const reply = page.locator('#log .msg.bot').last();
        const [box, logBox] = await Promise.all([reply.boundingBox(), page.locator('#log').boundingBox()]);
        // Its first line is in view, never scrolled away above the chat.
        expect(box!.y).toBeGreaterThanOrEqual(logBox!.y - 1);
        if (box!.height > logBox!.height) {
          // Taller than the chat (always on the phone): it starts at the top of the view.
          expect(box!.y).toBeLessThanOrEqual(logBox!.y + 24);
        } else {
          // It fits (desktop): all of it is in view.
          expect(box!.y + box!.height).toBeLessThanOrEqual(logBox!.y + logBox!.height + 1);
        }
        if (viewport === PHONE) expect(box!.height).toBeGreaterThan(logBox!.height);
        await ask(page, 'コールセンターの電話番号は？');
        for (const phone of await page.locator('#log .handoff .tel, #log .text .nowrap').all()) {
          await phone.scrollIntoViewIfNeeded();
          const lines = await phone.evaluate((node) => node.getClientRects().length);
          expect(lines, await phone.innerText()).toBe(1);
          expect(await phone.innerText()).toBe('03-4578-4697');
        }
        expect(await page.locator('#log .text .nowrap').count()).toBeGreaterThan(0);
        await page.close();
      });
    });
  }

  it('at 375 px stacks the SKU rows with the SKU first, every SKU inside the screen', async () => {
    const page = await openChat(PHONE);
    // The greeting (taller than a phone's screen with its menu) is shown from its first line.
    const [greeting, chat] = await Promise.all([page.locator('#log .msg.bot').first().boundingBox(), page.locator('#log').boundingBox()]);
    expect(greeting!.height).toBeGreaterThan(chat!.height);
    expect(greeting!.y).toBeGreaterThanOrEqual(chat!.y - 1);
    expect(await page.locator('#log').evaluate((log) => log.scrollTop)).toBe(0);
    await ask(page, 'SMT1500Jのサービス型番を教えて');
    const table = page.locator('#log table.skus').last();
    const cells = await table.locator('td.sku').all();
    expect(cells).toHaveLength(8);
    for (const cell of cells) {
      await cell.scrollIntoViewIfNeeded();
      const box = (await cell.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      // First in its row: nothing of the row is above or to the left of it.
      const row = await cell.evaluate((td) => {
        const tr = td.parentElement!;
        const own = td.getBoundingClientRect();
        return { first: tr.firstElementChild === td, above: Array.from(tr.children).some((c) => c !== td && c.getBoundingClientRect().top < own.top - 1) };
      });
      expect(row).toEqual({ first: true, above: false });
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    // The placeholder fits the input.
    const fits = await page.locator('#input').evaluate((input: HTMLInputElement) => {
      const style = getComputedStyle(input);
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { text: context.measureText(input.placeholder).width, room };
    });
    expect(fits.text).toBeLessThanOrEqual(fits.room);
    await page.close();
  });

  it('puts the focus in the input when a typed answer is expected (the model question)', async () => {
    const page = await openChat();
    await page.locator('#log button.choice[data-choice="intent:recommend_service"]').click();
    await waitForBotMessages(page, 2);
    await page.locator('#log button.choice[data-choice="timing:owned"]:enabled').click();
    await waitForBotMessages(page, 3);
    // A question answered by its buttons: the first button has the focus.
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.choice)).toMatch(/^downtime:/);
    await click(page, 'downtime:minimize');
    const offered = await page.locator('#log .msg.bot').last().locator('button.choice').evaluateAll((b) => b.map((x) => (x as HTMLElement).dataset.choice));
    expect(offered).toContain('model:unknown');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('input');
    await page.close();
  });

  it('shows the apology with the call-center box when a turn fails, and when the network does', async () => {
    const page = await openChat();
    await page.route('**/api/chat', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'turn_failed', message: 'The bot could not answer this message' },
          lang: 'ja',
          replies: [
            {
              text: '申し訳ありません。処理中に問題が起きました。',
              intent: 'human_handoff', confidence: 1, choices: [], skus: [], recommendation: null, links: [],
              handoff: { phone: '03-4578-4697', open: true, nextOpen: null },
              display: { skuTable: null, focus: 'input', handoff: { title: 'コールセンター', phone: '03-4578-4697', href: 'tel:0345784697', open: true, status: '受付中です', nextOpen: null, hours: '平日 9:00〜17:00' } },
            },
          ],
        }),
      }),
    );
    await ask(page, '無償保証で何が受けられますか');
    const failed = page.locator('#log .msg.bot').last();
    expect(await failed.innerText()).toContain('申し訳ありません');
    expect(await failed.locator('.handoff a.tel').getAttribute('href')).toBe('tel:0345784697');

    await page.unroute('**/api/chat');
    await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
    await ask(page, 'もう一度');
    const offline = page.locator('#log .msg.bot').last();
    expect(await offline.innerText()).toContain('送信できませんでした');
    // The box of the greeting, without a stale "open now".
    expect(await offline.locator('.handoff a.tel').innerText()).toBe('03-4578-4697');
    expect(await offline.locator('.handoff-status').count()).toBe(0);
    await page.close();
  });

  it('stays Japanese on a Japanese page for "yes" and gibberish, and follows the engine for a whole sentence', async () => {
    const page = await openChat();
    for (const text of ['yes', 'asdfghjk']) {
      await ask(page, text);
      expect(await page.getAttribute('html', 'lang'), text).toBe('ja');
      expect(await page.locator('#log .msg.bot').last().getAttribute('lang'), text).toBe('ja');
      expect(await page.locator('#input').getAttribute('placeholder')).toBe('ご質問を入力してください');
    }
    await ask(page, 'How do I apply for annual maintenance?');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('#log .msg.bot').last().innerText()).toContain('service.hoshu@se.com');
    await page.close();
  });

  it('on an English page, follows the engine back to Japanese, and keeps Japanese for a model number', async () => {
    const page = await englishPage();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await ask(page, '年間保守について教えて');
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    await ask(page, 'SMT1500J');
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.locator('#log table.skus').last().locator('th').allInnerTexts()).toEqual(['サービス型番', '内容']);
    expect(await page.locator('#log .msg.bot').last().innerText()).toContain('件です');
    await page.close();
  });

  it('keeps the conversation across a reload and can carry on', async () => {
    const page = await openChat();
    await ask(page, 'SMT1500Jの保守を選びたい');
    const transcript = await page.locator('#log .msg').allInnerTexts();
    const conversation = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)!).conversation, STORAGE_KEY);

    await page.reload();
    await waitForBotMessages(page, 1);
    expect(await page.locator('#log .msg').allInnerTexts()).toEqual(transcript);
    expect(await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)!).conversation, STORAGE_KEY)).toBe(conversation);

    // The server still knows the dialog: the model given before the reload is not asked again.
    await click(page, 'timing:owned');
    const next = await page.locator('#log .msg.bot button.choice:enabled').evaluateAll((b) => b.map((x) => (x as HTMLElement).dataset.choice));
    expect(next.some((id) => id?.startsWith('downtime:'))).toBe(true);
    await page.close();
  });

  it('uses the conversation id the server issues, never one of its own', async () => {
    const page = await openChat();
    const first = page.waitForRequest((req) => req.url().endsWith('/api/chat') && req.method() === 'POST');
    await ask(page, 'こんにちは');
    expect((await first).postDataJSON()).not.toHaveProperty('conversation');
    const issued = (await (await (await first).response())!.json()).conversation as string;
    expect(issued).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)!).conversation, STORAGE_KEY)).toBe(issued);
    const second = page.waitForRequest((req) => req.url().endsWith('/api/chat') && req.method() === 'POST');
    await ask(page, '保守サービスとは？');
    expect((await second).postDataJSON()).toMatchObject({ conversation: issued });
    await page.close();
  });

  it('starts over with a new conversation when 最初から is pressed', async () => {
    const page = await openChat();
    await ask(page, 'SMT1500Jの保守を選びたい');
    const before = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)!).conversation, STORAGE_KEY);
    const sent = page.waitForRequest((req) => req.url().endsWith('/api/chat') && req.method() === 'POST');

    await page.getByRole('button', { name: '会話を最初からやり直す' }).click();
    const body = (await sent).postDataJSON();
    expect(body).toMatchObject({ choice: 'intent:restart', conversation: before });
    await waitForBotMessages(page, 1);

    expect(await page.locator('#log .msg.user').count()).toBe(0);
    const after = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)!).conversation, STORAGE_KEY);
    expect(after).not.toBe(before);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('input');
    await page.close();
  });

  it('shows markup typed by the user as literal text', async () => {
    const page = await openChat();
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    const attack = '<img src=x onerror=alert(1)>';
    await ask(page, attack);
    expect(await page.locator('#log .msg.user').last().innerText()).toContain(attack);
    expect(await page.locator('#log img').count()).toBe(0);
    await page.reload();
    await waitForBotMessages(page, 1);
    expect(await page.locator('#log .msg.user').last().innerText()).toContain(attack);
    expect(await page.locator('#log img').count()).toBe(0);
    expect(dialogs).toBe(0);
    await page.close();
  });

  it('speaks English when the browser prefers it, and works from the keyboard', async () => {
    const page = await englishPage();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('button', { name: 'Start the conversation over' }).innerText()).toBe('Start over');

    await page.getByRole('textbox', { name: 'Message' }).focus();
    await page.keyboard.type('What does the free warranty cover?');
    await page.keyboard.press('Enter');
    await waitForBotMessages(page, 2);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('input');
    expect(await page.locator('#log .msg.bot').last().getAttribute('lang')).toBe('en');
    await page.close();
  });
});
