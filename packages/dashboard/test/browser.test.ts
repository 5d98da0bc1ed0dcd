import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM as CHROMIUM_TOOL, toolAvailable } from '@streamsuites/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardServer, type DashboardServer } from '../src/index.js';
import { altFixtureRoot, fixtureRoot } from './helpers.js';

const hasChromium = toolAvailable(CHROMIUM_TOOL);
const CHROMIUM = CHROMIUM_TOOL.path;
const artifacts = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const OVERRIDE_KEY = 'streamsuites.stateRootOverride';

/** Stamps every snapshot as written 3 s ago, so the page shows live-looking ages. */
function freshen(dir: string): void {
  const at = new Date(Date.now() - 3000).toISOString();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const file = join(entry.parentPath, entry.name);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"generatedAt": "[^"]*"/, `"generatedAt": "${at}"`));
  }
}


describe.skipIf(!hasChromium)('dashboard page in Chromium', () => {
  let main: DashboardServer;
  let alt: DashboardServer;
  let context: BrowserContext;
  let page: Page;
  let tmp: string;
  let root: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ss-dashboard-browser-'));
    root = join(tmp, 'state');
    cpSync(fixtureRoot, root, { recursive: true });
    freshen(root);
    main = await startDashboardServer({ root });
    alt = await startDashboardServer({ root: altFixtureRoot });
    // A persistent context on a fresh folder is Playwright's way to pass --user-data-dir.
    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Every wait below has a deadline well inside the test timeout.
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await context?.close();
    await main?.close();
    await alt?.close();
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  const text = (selector: string) => page.locator(selector).first().innerText();
  // Page-side expressions as strings: this package type-checks without the DOM lib.
  const js = (expression: string): Promise<unknown> => page.evaluate(expression);

  it('renders clips, quotas with a usage bar, creators and chat from the state root', async () => {
    await page.goto(main.url);
    await page.locator('#clips .clip-title', { hasText: 'Triple kill at the bridge' }).waitFor();
    expect(await js('document.body.dataset.stateRootSource')).toBe('default');
    expect(await js('document.body.dataset.stateRoot')).toBe(`${main.url}state/`);

    const quota = page.locator('.quota[data-creator="daniel"][data-platform="youtube"]');
    expect(await quota.innerText()).toContain('9,620 / 10,000');
    const bar = quota.locator('[role="progressbar"]');
    expect(await bar.getAttribute('aria-valuenow')).toBe('9620');
    expect(await bar.getAttribute('aria-valuemax')).toBe('10000');
    expect(await bar.getAttribute('class')).toContain('bar-in-buffer');
    const width = async (selector: string) => parseFloat(/width:\s*([\d.]+)%/.exec((await quota.locator(selector).getAttribute('style')) ?? '')?.[1] ?? 'NaN');
    expect(await width('.bar-fill')).toBeCloseTo(96.2, 5);
    expect(await width('.bar-buffer')).toBeCloseTo(5, 5);

    expect(await text('#runtime')).toMatch(/daniel[\s\S]*twitch[\s\S]*running/);
    expect(await text('#runtime')).toContain('reconnecting');
    expect(await text('#polls')).toContain('Next map?');
    expect(await text('#tallies')).toContain('Deaths today');
    expect(await text('#scoreboards')).toContain('pixelpete');
    expect(await text('#jobs')).toContain('SS_ERR_JOB_TIMEOUT');
    expect(await text('#rate-limits')).toMatch(/twitch:chat:daniel\s+6 \/ 20\s+14\s+2\s+30 s/);
    expect(await text('#updated')).toMatch(/^updated \d+ s ago$/);

    // Chat: newest at the top; markup in a message is shown as text, never run.
    expect(await text('#chat .chat-line')).toContain('thanks for the raid!');
    expect(await text('#chat')).toContain('<img src=x onerror="window.__xss=1"><b>not bold</b>');
    expect(await page.locator('#chat img, #chat b').count()).toBe(0);
    expect(await js('window.__xss')).toBeUndefined();

    mkdirSync(artifacts, { recursive: true });
    const shot = join(artifacts, 'dashboard.png');
    rmSync(shot, { force: true });
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(0);
  });

  it('shows a degraded platform distinctly: its own badge, the connection state, since when and why', async () => {
    await page.goto(main.url);
    const degraded = page.locator('#runtime .platform-status[data-status="degraded"]');
    await degraded.waitFor();
    expect(await degraded.locator('.badge').getAttribute('class')).toBe('badge badge-degraded');
    expect(await degraded.innerText()).toMatch(/^degraded\s+reconnecting since .+: quotaExceeded$/);
    expect(await degraded.locator('time').getAttribute('datetime')).toBe('2026-11-27T11:59:20.000Z');
    // A connected platform shows no connection detail, and the two badges do not look alike.
    const running = page.locator('#runtime .platform-status[data-status="running"]');
    expect(await running.locator('.connection-detail').count()).toBe(0);
    const background = (selector: string) => js(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`);
    const [degradedColour, runningColour] = [await background('#runtime .badge-degraded'), await background('#runtime .badge-running')];
    expect(degradedColour).not.toBe(runningColour);
    expect(await js(`getComputedStyle(document.querySelector('#runtime .badge-degraded')).outlineStyle`)).toBe('dashed');
  });

  it('refreshes by fetch every 5 s without reloading the page', async () => {
    await page.goto(main.url);
    await page.locator('#clips .clip-title', { hasText: 'Triple kill at the bridge' }).waitFor();
    await js('window.__sameDocument = true');
    const file = join(root, 'runtime/exports/clips.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Triple kill at the bridge', 'Quadra kill at the bridge'));
    await page.locator('#clips .clip-title', { hasText: 'Quadra kill at the bridge' }).waitFor({ timeout: 15_000 });
    expect(await js('window.__sameDocument')).toBe(true);
  }, 30_000);

  it('answers 405 to a POST from the page', async () => {
    const answer = await page.evaluate(async () => {
      const res = await fetch('/state/runtime/exports/clips.json', { method: 'POST', body: '{}' });
      return { status: res.status, allow: res.headers.get('allow') };
    });
    expect(answer).toEqual({ status: 405, allow: 'GET, HEAD' });
  });

  it('refuses path traversal requested from the page', async () => {
    const answers = await page.evaluate(async () => {
      const targets = ['/state/..%2f..%2fpackage.json', '/state/%2e%2e%2f%2e%2e%2fpackage.json', '/state/runtime%5c..%5c..%5cpackage.json', '/state/%252e%252e/package.json'];
      return Promise.all(targets.map(async (target) => {
        const res = await fetch(target);
        return { target, status: res.status, leaked: (await res.text()).includes('"devDependencies"') };
      }));
    });
    for (const answer of answers) {
      expect([400, 403, 404], answer.target).toContain(answer.status);
      expect(answer.leaked, answer.target).toBe(false);
    }
  });

  it('ignores a ?stateRoot= that is not an http(s) URL', async () => {
    await page.goto(`${main.url}?stateRoot=${encodeURIComponent('javascript:alert(1)//')}`);
    await page.locator('#clips .clip-title').first().waitFor();
    expect(await js('document.body.dataset.stateRootSource')).toBe('default');
    expect(await js(`localStorage.getItem(${JSON.stringify(OVERRIDE_KEY)})`)).toBeNull();
  });

  it('?stateRoot= switches to another server, is saved to localStorage and survives a reload', async () => {
    const override = `${alt.url}state/`;
    await page.goto(`${main.url}?stateRoot=${encodeURIComponent(override)}`);
    await page.locator('#clips .clip-title', { hasText: 'Alternate root clip' }).waitFor();
    expect(await js('document.body.dataset.stateRoot')).toBe(override);
    expect(await js('document.body.dataset.stateRootSource')).toBe('query');
    expect(await js(`localStorage.getItem(${JSON.stringify(OVERRIDE_KEY)})`)).toBe(override);
    expect(await page.locator('#clips .clip-title', { hasText: 'bridge' }).count()).toBe(0);
    // A file the other root lacks is an empty state, not an error.
    await page.locator('#polls[data-state="missing"]').waitFor();
    expect(await text('#polls')).toContain('Nothing published yet.');
    // Dashboard-only files carry no CORS header: another origin cannot read them.
    await page.locator('#quotas[data-state="error"]').waitFor();

    await page.goto(main.url);
    await page.locator('#clips .clip-title', { hasText: 'Alternate root clip' }).waitFor();
    expect(await js('document.body.dataset.stateRootSource')).toBe('localStorage');
    expect(await js('document.body.dataset.stateRoot')).toBe(override);

    // The reset button forgets the override.
    await page.locator('#state-root-reset').click();
    // A locator wait, not a string waitForFunction: the page's CSP (no unsafe-eval) blocks the latter's retries.
    await page.locator('body[data-state-root-source="default"]').waitFor();
    await page.locator('#clips .clip-title', { hasText: 'kill at the bridge' }).waitFor();
    expect(await js(`localStorage.getItem(${JSON.stringify(OVERRIDE_KEY)})`)).toBeNull();
  }, 30_000);
});
