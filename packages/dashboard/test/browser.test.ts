import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM as CHROMIUM_TOOL, toolAvailable, type ExternalTool } from '@streamsuites/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardServer, type DashboardServer } from '../src/index.js';
import { BIG_CREATORS, writeBigState } from './big-state.js';
import { altFixtureRoot, fixtureRoot } from './helpers.js';

const FFMPEG_TOOL: ExternalTool = { name: 'ffmpeg', path: '/usr/bin/ffmpeg', install: 'apt-get install ffmpeg (npm test does it)' };
const hasChromium = toolAvailable(CHROMIUM_TOOL);
const hasFfmpeg = hasChromium && toolAvailable(FFMPEG_TOOL);
const CHROMIUM = CHROMIUM_TOOL.path;
const artifacts = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const OVERRIDE_KEY = 'streamsuites.stateRootOverride';
const VIEWPORT = { width: 1400, height: 900 };

/** Stamps every snapshot as written 3 s ago, so the page shows live-looking ages. */
function freshen(dir: string): void {
  const at = new Date(Date.now() - 3000).toISOString();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const file = join(entry.parentPath, entry.name);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"generatedAt": "[^"]*"/, `"generatedAt": "${at}"`));
  }
}

/** A 2 s H.264/AAC mp4 and its poster, as plugin-clips makes them. */
function makeMedia(dir: string): { video: string; poster: string } {
  const video = join(dir, 'clip.mp4');
  const poster = join(dir, 'clip.jpg');
  execFileSync(FFMPEG_TOOL.path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '2',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', video]);
  execFileSync(FFMPEG_TOOL.path, ['-v', 'error', '-y', '-ss', '1', '-i', video, '-frames:v', '1', '-vf', 'scale=320:-2', '-q:v', '4', poster]);
  return { video, poster };
}

/**
 * Elements that stick out of their card (or the header), sideways: each is
 * described. Content inside its own scroll container (the views menu, the
 * chat list) is that container's business and is skipped; the container
 * itself is checked.
 */
const OVERFLOW_CHECK = `(() => {
  const out = [];
  const clips = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  for (const box of document.querySelectorAll('.card, .top, .foot')) {
    const outer = box.getBoundingClientRect();
    for (const el of box.querySelectorAll('*')) {
      let parent = el.parentElement;
      let inner = false;
      while (parent !== null && parent !== box) {
        if (clips(parent)) { inner = true; break; }
        parent = parent.parentElement;
      }
      if (inner) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < outer.left - 1 || r.right > outer.right + 1) {
        out.push((box.id || box.className) + ': <' + el.tagName.toLowerCase() + ' class="' + (el.getAttribute('class') || '') + '"> spans ' + Math.round(r.left) + '-' + Math.round(r.right) + ', box ' + Math.round(outer.left) + '-' + Math.round(outer.right));
      }
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth) out.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
  return out;
})()`;

describe.skipIf(!hasChromium)('dashboard page in Chromium', () => {
  let main: DashboardServer;
  let alt: DashboardServer;
  let big: DashboardServer;
  let context: BrowserContext;
  let page: Page;
  let tmp: string;
  let root: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ss-dashboard-browser-'));
    root = join(tmp, 'state');
    cpSync(fixtureRoot, root, { recursive: true });
    freshen(root);
    const bigRoot = join(tmp, 'big');
    const media = hasFfmpeg ? makeMedia(tmp) : {};
    writeBigState(bigRoot, { now: Date.now(), ...media });
    main = await startDashboardServer({ root });
    alt = await startDashboardServer({ root: altFixtureRoot });
    big = await startDashboardServer({ root: bigRoot });
    // A persistent context on a fresh folder is Playwright's way to pass --user-data-dir.
    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
      viewport: VIEWPORT,
      // Times are shown in local time: pin the zone so the expected dates hold anywhere.
      timezoneId: 'UTC',
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Every wait below has a deadline well inside the test timeout.
    page.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await main?.close();
    await alt?.close();
    await big?.close();
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  const text = (selector: string) => page.locator(selector).first().innerText();
  // Page-side expressions as strings: this package type-checks without the DOM lib.
  const js = (expression: string): Promise<unknown> => page.evaluate(expression);
  /** Opens a view and waits for the first refresh to have drawn it. */
  const open = async (url: string) => {
    await page.goto(url);
    // A locator wait, not a string waitForFunction: the page's CSP (no unsafe-eval) blocks the latter's retries.
    await page.locator('body[data-refreshes]').waitFor({ state: 'attached' });
  };

  it('overview: creators, quotas with a usage bar, readable rate limits, jobs and the one updated indicator', async () => {
    await open(main.url);
    expect(await js('document.body.dataset.stateRootSource')).toBe('default');
    expect(await js('document.body.dataset.stateRoot')).toBe(`${main.url}state/`);
    expect(await js('document.body.dataset.runtimeState')).toBe('ok');
    await page.locator('#clips .clip-title', { hasText: 'Triple kill at the bridge' }).waitFor();

    const quota = page.locator('.quota[data-creator="daniel"][data-platform="youtube"]');
    expect(await quota.innerText()).toContain('9,620 / 10,000');
    // No per-minute samples in this root: the quota falls back to a bar.
    const bar = quota.locator('[role="progressbar"]');
    expect(await bar.getAttribute('aria-valuenow')).toBe('9620');
    expect(await bar.getAttribute('aria-valuemax')).toBe('10000');
    expect(await bar.getAttribute('class')).toContain('bar-in-buffer');
    const width = async (selector: string) => parseFloat(/width:\s*([\d.]+)%/.exec((await quota.locator(selector).getAttribute('style')) ?? '')?.[1] ?? 'NaN');
    expect(await width('.bar-fill')).toBeCloseTo(96.2, 5);
    expect(await width('.bar-buffer')).toBeCloseTo(5, 5);

    // Live since the stream's start (local time), with its pace.
    expect(await text('#creators')).toMatch(/Daniel[\s\S]*twitch[\s\S]*live since 27 Nov, \d\d:\d\d[\s\S]*42 msg\/min/);
    expect(await text('#creators')).toContain('reconnecting');
    expect(await text('#creators')).toContain('Poll open: Next map?');
    expect(await text('#jobs')).toContain('SS_ERR_JOB_TIMEOUT');
    // Keys become "platform · who · scope", with the numbers beside the bar.
    const limit = page.locator('#rate-limits .limit[data-key="twitch:chat:daniel"]');
    expect(await limit.innerText()).toMatch(/twitch · daniel · chat\s+6\/20 per 30 s · 2 waiting/);
    expect(await limit.locator('[role="progressbar"]').getAttribute('aria-valuenow')).toBe('6');
    // One "updated" for the page; no card repeats its own.
    expect(await text('#updated')).toMatch(/^updated \d+ s ago$/);
    expect(await page.locator('#view .stamp, #view [id="updated"]').count()).toBe(0);
    // Missing files (metrics, events) are empty states, not errors.
    expect(await page.locator('#problems').isHidden()).toBe(true);
    expect(await text('#activity')).toContain('No chat metrics yet');
  });

  it("a creator's view: the poll, tallies, scoreboard, chat as text (markup never runs)", async () => {
    await open(`${main.url}#/creator/daniel`);
    await page.locator('#poll .poll-question', { hasText: 'Next map?' }).waitFor();
    expect(await text('#tallies')).toContain('Deaths today');
    expect(await page.locator('nav a[aria-current="page"]').innerText()).toBe('Daniel');
    // Newest at the top; markup in a message is shown as text, never run.
    expect(await text('#chat .chat-line')).toContain('thanks for the raid!');
    expect(await text('#chat')).toContain('<img src=x onerror="window.__xss=1"><b>not bold</b>');
    expect(await page.locator('#chat img, #chat b').count()).toBe(0);
    expect(await js('window.__xss')).toBeUndefined();
    // maya's scoreboard is on maya's page only.
    expect(await page.locator('#scoreboards').innerText()).not.toContain('pixelpete');
    await open(`${main.url}#/creator/maya`);
    await page.locator('#scoreboards', { hasText: 'pixelpete' }).waitFor();
    expect(await text('#chat')).toContain('hello from the youtube side');
    expect(await text('#chat')).not.toContain('thanks for the raid!');
  });

  it('shows a degraded platform distinctly: its own badge, the connection state, since when and why', async () => {
    await open(main.url);
    const degraded = page.locator('#creators .platform-status[data-status="degraded"]');
    await degraded.waitFor();
    expect(await degraded.locator('.badge').getAttribute('class')).toBe('badge badge-degraded');
    expect(await degraded.innerText()).toMatch(/^degraded\s+reconnecting since .+: quotaExceeded$/);
    expect(await degraded.locator('time').getAttribute('datetime')).toBe('2026-11-27T11:59:20.000Z');
    // A connected platform shows when its stream started, no connection detail, and the two badges do not look alike.
    const running = page.locator('#creators .platform-status[data-status="running"]');
    expect(await running.innerText()).toMatch(/^live\s+since 27 Nov, \d\d:\d\d$/);
    expect(await running.locator('time').getAttribute('datetime')).toBe('2026-11-27T10:05:00.000Z');
    const background = (selector: string) => js(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`);
    const [degradedColour, runningColour] = [await background('#creators .badge-degraded'), await background('#creators .platform-status[data-status="running"] .badge')];
    expect(degradedColour).not.toBe(runningColour);
    expect(await js(`getComputedStyle(document.querySelector('#creators .badge-degraded')).outlineStyle`)).toBe('dashed');
  });

  it('refreshes by fetch every 5 s without reloading the page', async () => {
    await open(main.url);
    await page.locator('#clips .clip-title', { hasText: 'Triple kill at the bridge' }).waitFor();
    await js('window.__sameDocument = true');
    const file = join(root, 'runtime/exports/clips.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Triple kill at the bridge', 'Quadra kill at the bridge'));
    await page.locator('#clips .clip-title', { hasText: 'Quadra kill at the bridge' }).waitFor({ timeout: 15_000 });
    expect(await js('window.__sameDocument')).toBe(true);
  }, 30_000);

  it('revalidates instead of downloading again: an unchanged file costs its headers, not its body (ETag, 304)', async () => {
    await open(big.url);
    await page.locator('body[data-refreshes="2"]').waitFor({ state: 'attached', timeout: 15_000 });
    // Resource Timing: a 304 transfers the headers only (transferSize < the body's size); a download transfers both.
    const entries = (await js(`performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/state/runtime/signals/chat_events.json')).map((e) => ({ transfer: e.transferSize, body: e.encodedBodySize }))`)) as { transfer: number; body: number }[];
    expect(entries.length).toBeGreaterThanOrEqual(2);
    const [first, ...later] = entries;
    expect(first!.body).toBeGreaterThan(50_000);
    for (const entry of later) {
      expect(entry.transfer).toBeGreaterThan(0);
      expect(entry.transfer).toBeLessThan(2_000);
    }
  }, 30_000);

  it('answers 405 to a POST from the page', async () => {
    await open(main.url);
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
    await open(`${main.url}?stateRoot=${encodeURIComponent('javascript:alert(1)//')}`);
    await page.locator('#clips .clip-title').first().waitFor();
    expect(await js('document.body.dataset.stateRootSource')).toBe('default');
    expect(await js(`localStorage.getItem(${JSON.stringify(OVERRIDE_KEY)})`)).toBeNull();
  });

  it('?stateRoot= switches to another server, is saved to localStorage and survives a reload', async () => {
    const override = `${alt.url}state/`;
    await open(`${main.url}?stateRoot=${encodeURIComponent(override)}`);
    await page.locator('#clips .clip-title', { hasText: 'Alternate root clip' }).waitFor();
    expect(await js('document.body.dataset.stateRoot')).toBe(override);
    expect(await js('document.body.dataset.stateRootSource')).toBe('query');
    expect(await js(`localStorage.getItem(${JSON.stringify(OVERRIDE_KEY)})`)).toBe(override);
    expect(await page.locator('#clips .clip-title', { hasText: 'bridge' }).count()).toBe(0);
    // Dashboard-only files carry no CORS header: another origin cannot read them, and the header says so once.
    await page.locator('#problems', { hasText: 'shared/state/quotas.json' }).waitFor();
    // A file the other root lacks is an empty state, not an error.
    expect(await text('#problems')).not.toContain('polls.json');
    // The creator known only from the other root's clips gets a view.
    await page.locator('nav a', { hasText: 'rowan' }).click();
    await page.locator('#poll', { hasText: 'No polls yet.' }).waitFor();

    await open(main.url);
    await page.locator('#clips .clip-title', { hasText: 'Alternate root clip' }).waitFor();
    expect(await js('document.body.dataset.stateRootSource')).toBe('localStorage');
    expect(await js('document.body.dataset.stateRoot')).toBe(override);

    // The reset button forgets the override.
    await page.locator('#state-root-reset').click();
    await page.locator('body[data-state-root-source="default"]').waitFor();
    await page.locator('#clips .clip-title', { hasText: 'kill at the bridge' }).waitFor();
    expect(await js(`localStorage.getItem(${JSON.stringify(OVERRIDE_KEY)})`)).toBeNull();
  }, 30_000);

  it.skipIf(!hasFfmpeg)('served beyond this machine: public files at once, the rest after the token is entered, clips play from a blob', async () => {
    const token = 'a-long-dashboard-token-0123456789';
    const exposed = await startDashboardServer({ root: join(tmp, 'big'), host: '0.0.0.0', allowRemote: true, token });
    // A name that is not loopback makes the requests remote, as from another machine (it still resolves to 127.0.0.1).
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP dashboard.test 127.0.0.1'] });
    try {
      const remote = await browser.newPage({ viewport: VIEWPORT });
      remote.setDefaultTimeout(10_000);
      await remote.goto(`http://dashboard.test:${exposed.port}/#/creator/daniel`);
      // Public files (clips, polls) show; dashboard-only ones are refused until the token is given.
      await remote.locator('#clips .clip').first().waitFor();
      await remote.locator('#problems', { hasText: 'runtime_snapshot.json (needs the dashboard token)' }).waitFor();
      expect(await remote.evaluate('document.body.dataset.runtimeState')).toBe('unauthorized');
      await remote.locator('#token-input').fill(token);
      await remote.locator('#token-form button[type="submit"]').click();
      await remote.locator('body[data-runtime-state="ok"]').waitFor({ state: 'attached' });
      await remote.locator('#problems').waitFor({ state: 'hidden' });
      await remote.locator('#chat .chat-line').first().waitFor();
      // Kept for this tab only, never in localStorage.
      expect(await remote.evaluate('JSON.stringify(localStorage)')).not.toContain(token);
      await remote.locator('#clips .clip[data-clip="clip-000"] button').click();
      await remote.locator('#player video[data-canplay="true"]').waitFor({ state: 'attached', timeout: 15_000 });
      expect(await remote.evaluate(`document.querySelector('#player video').src.startsWith('blob:')`)).toBe(true);
    } finally {
      await browser.close();
      await exposed.close();
    }
  }, 60_000);

  describe('a busy runtime: 5 creators, 100 polls, 50 clips, 500 chat lines', () => {
    const views = [['overview', ''], ['creator', '#/creator/kai']] as const;

    /**
     * Opens each view in light and dark at 1400 and 390 px and calls `visit`
     * with `<view> <width> <theme>` once its clips are drawn. Leaves the page
     * dark at 390 px: the caller puts it back.
     */
    const eachLayout = async (visit: (label: string) => Promise<void>) => {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        for (const width of [1400, 390]) {
          await page.setViewportSize({ width, height: width === 390 ? 844 : VIEWPORT.height });
          for (const [name, hash] of views) {
            await open(big.url + hash);
            await page.locator('#clips .clip').first().waitFor();
            await visit(`${name} ${width} ${colorScheme}`);
          }
        }
      }
    };

    it('fits in 2.5 screen heights at 1400 px, overview and every creator', async () => {
      await page.setViewportSize(VIEWPORT);
      for (const hash of ['', ...BIG_CREATORS.map((id) => `#/creator/${id}`)]) {
        await open(big.url + hash);
        await page.locator('#clips .clip').first().waitFor();
        const height = Number(await js('document.documentElement.scrollHeight'));
        expect(height, hash || 'overview').toBeLessThan(2.5 * VIEWPORT.height);
      }
    }, 60_000);

    it('screenshots at 1400 and 390 px in light and dark; nothing overflows its card', async () => {
      mkdirSync(artifacts, { recursive: true });
      await eachLayout(async (label) => {
        expect(await js(OVERFLOW_CHECK), label).toEqual([]);
        const shot = join(artifacts, `dashboard-${label.replaceAll(' ', '-')}.png`);
        rmSync(shot, { force: true });
        await page.screenshot({ path: shot, fullPage: true });
        expect(statSync(shot).size).toBeGreaterThan(10_000);
      });
      // The dark theme really is dark (the system preference decides).
      expect(await js('getComputedStyle(document.body).backgroundColor')).toBe('rgb(18, 19, 25)');
      await page.emulateMedia({ colorScheme: 'light' });
      expect(await js('getComputedStyle(document.body).backgroundColor')).toBe('rgb(243, 244, 248)');
      await page.setViewportSize(VIEWPORT);
    }, 90_000);

    it("a creator's route shows only that creator, and the menu leads there", async () => {
      await open(big.url);
      for (const id of BIG_CREATORS) {
        await page.locator('nav a', { hasText: id === 'kai' ? 'Kai the Long-Named' : id === 'daniel' ? 'Daniel' : id }).first().click();
        await page.locator(`#view[data-creator="${id}"]`).waitFor();
        await page.locator('#clips .clip').first().waitFor();
        const owners = (await js(`[...document.querySelectorAll('#view [data-creator]')].map((el) => el.getAttribute('data-creator'))`)) as string[];
        expect(owners.length, id).toBeGreaterThan(20);
        expect(new Set(owners), id).toEqual(new Set([id]));
        expect(await js('location.hash')).toBe(`#/creator/${id}`);
      }
      // Poll history: the last 5, then "more".
      expect(await page.locator('#poll-history li').count()).toBe(5);
      await page.locator('#poll-history button.more').click();
      expect(await page.locator('#poll-history li').count()).toBe(19);
      // The bot's own replies are marked.
      expect(await page.locator('#chat .chat-bot .tag-bot').count()).toBeGreaterThan(0);
    }, 60_000);

    it('filters chat by platform', async () => {
      await open(`${big.url}#/creator/kai`);
      await page.locator('#chat .chat-line').first().waitFor();
      const platforms = async () => new Set((await js(`[...document.querySelectorAll('#chat .chat-line')].map((el) => el.dataset.platform)`)) as string[]);
      expect(await platforms()).toEqual(new Set(['youtube', 'rumble', 'twitch']));
      await page.locator('#chat [data-chat-platform="rumble"]').click();
      await page.locator('#chat [data-chat-platform="rumble"][aria-pressed="true"]').waitFor();
      expect(await platforms()).toEqual(new Set(['rumble']));
    });

    it.skipIf(!hasFfmpeg)('plays a clip in the page from the state root, with range requests', async () => {
      const media: number[] = [];
      const onResponse = (response: { url(): string; status(): number }) => {
        if (/\/state\/runtime\/media\/clips\/clip-000\.mp4$/.test(response.url())) media.push(response.status());
      };
      page.on('response', onResponse);
      try {
        await open(`${big.url}#/creator/daniel`);
        const tile = page.locator('#clips .clip[data-clip="clip-000"]');
        // The poster frame is an http URL under the state root, and it loaded.
        await tile.locator('img').waitFor();
        expect(await tile.locator('img').getAttribute('src')).toBe(`${big.url}state/runtime/media/clips/clip-000.jpg`);
        await page.locator('#clips .clip[data-clip="clip-000"] img').evaluate('(img) => img.decode()');
        await tile.locator('button').click();
        await page.locator('#player video[data-canplay="true"]').waitFor({ state: 'attached', timeout: 15_000 });
        expect(await js(`document.querySelector('#player video').src`)).toBe(`${big.url}state/runtime/media/clips/clip-000.mp4`);
        expect(media).toContain(206);
        // Escape closes the player and gives the focus back to the tile.
        await page.keyboard.press('Escape');
        await page.locator('#player[open]').waitFor({ state: 'detached' });
        expect(await js(`document.activeElement?.getAttribute('data-clip')`)).toBe('clip-000');
      } finally {
        page.off('response', onResponse);
      }
    }, 30_000);

    it('is usable from the keyboard: skip link, menu, toggles', async () => {
      await open(big.url);
      await page.locator('#clips .clip').first().waitFor();
      await page.keyboard.press('Tab');
      expect(await js('document.activeElement.textContent')).toBe('Skip to content');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      // Past the theme button: the menu's first links.
      expect(await js('document.activeElement.closest("nav") !== null')).toBe(true);
      await page.keyboard.press('Tab');
      expect(await js('document.activeElement.getAttribute("href")')).toBe('#/creator/daniel');
      await page.keyboard.press('Enter');
      await page.locator('#view[data-creator="daniel"]').waitFor();
      expect(await js('document.activeElement.classList.contains("view-title")')).toBe(true);
    });

    it('has no serious or critical axe-core violations, in both themes and at 390 px', async () => {
      const found: string[] = [];
      await eachLayout(async (label) => {
        const result = await new AxeBuilder({ page }).analyze();
        for (const violation of result.violations) {
          if (violation.impact === 'serious' || violation.impact === 'critical') {
            found.push(`${label}: ${violation.id} (${violation.impact}) ${violation.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
          }
        }
      });
      await page.emulateMedia({ colorScheme: 'light' });
      await page.setViewportSize(VIEWPORT);
      expect(found).toEqual([]);
    }, 120_000);
  });
});
