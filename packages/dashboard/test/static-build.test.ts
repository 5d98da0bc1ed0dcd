import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { publishState } from '@streamsuites/plugin-exports';
import { CHROMIUM as CHROMIUM_TOOL, toolAvailable } from '@streamsuites/testing';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildStaticDashboard,
  defaultAssetsDir,
  SS_ERR_DASHBOARD_BUILD_INVALID,
  SS_ERR_DASHBOARD_BUILD_NOT_EMPTY,
} from '../src/index.js';
import { fixtureRoot } from './helpers.js';

const hasChromium = toolAvailable(CHROMIUM_TOOL);
const OVERRIDE_KEY = 'streamsuites.stateRootOverride';

/** Every file under `dir`, relative with `/`, sorted (dotfiles included). */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1).split(sep).join('/'))
    .sort();
}

/** The `content` of `<meta name="…">`, HTML-unescaped. */
function meta(html: string, name: string): string | undefined {
  const tags = html.match(new RegExp(`<meta name="${name}" content="[^"]*">`, 'g')) ?? [];
  if (tags.length !== 1) return undefined;
  const raw = /content="([^"]*)"/.exec(tags[0]!)![1]!;
  return raw.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

let tmp: string;
beforeAll(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'ss-dashboard-static-')));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('buildStaticDashboard', () => {
  it('writes index.html at the top, the page\'s files under assets/, .nojekyll, and nothing else', async () => {
    const outDir = join(tmp, 'nested', 'site');
    const result = await buildStaticDashboard({ outDir, fallbackStateRoot: 'https://state.example.net/streams' });
    expect(result.outDir).toBe(outDir);
    const sources = readdirSync(defaultAssetsDir).filter((name) => !name.startsWith('.') && name !== 'index.html');
    expect(result.files).toEqual(['.nojekyll', 'index.html', ...sources.map((name) => `assets/${name}`)].sort());
    expect(tree(outDir)).toEqual(result.files);
    for (const name of sources) expect(readFileSync(join(outDir, 'assets', name)), name).toEqual(readFileSync(join(defaultAssetsDir, name)));
    expect(readFileSync(join(outDir, '.nojekyll'), 'utf8')).toBe('');
    // No staging folder left beside it.
    expect(readdirSync(join(tmp, 'nested'))).toEqual(['site']);

    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    expect(meta(html, 'streamsuites-mode')).toBe('static');
    expect(meta(html, 'streamsuites-fallback-state-root')).toBe('https://state.example.net/streams/');
    // Every relative assets/ link of the page resolves inside the build, as /assets/<file> does on the server.
    const links = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => match[1]!).filter((link) => !/^[a-z]+:|^\/\/|^#/.test(link));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(existsSync(join(outDir, link)), link).toBe(true);
  });

  it('without a fallback: static mode, an empty fallback', async () => {
    const outDir = join(tmp, 'no-fallback');
    await buildStaticDashboard({ outDir });
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    expect(meta(html, 'streamsuites-mode')).toBe('static');
    expect(meta(html, 'streamsuites-fallback-state-root')).toBe('');
  });

  it('HTML-escapes the fallback in the attribute', async () => {
    const outDir = join(tmp, 'escaped');
    await buildStaticDashboard({ outDir, fallbackStateRoot: "https://state.example.net/it's&<b>/" });
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const expected = new URL("https://state.example.net/it's&<b>/").href;
    expect(expected).toContain("'");
    expect(expected).toContain('&');
    expect(html).toContain(`content="https://state.example.net/it&#39;s&amp;%3Cb%3E/"`);
    expect(meta(html, 'streamsuites-fallback-state-root')).toBe(expected);
  });

  it('adds the two tags to a page that lacks them, and replaces them whatever their attribute order', async () => {
    const assetsDir = join(tmp, 'custom-assets');
    mkdirSync(join(assetsDir, 'img'), { recursive: true });
    writeFileSync(join(assetsDir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
    writeFileSync(join(assetsDir, 'img', 'a.svg'), '<svg/>');
    writeFileSync(join(assetsDir, '.DS_Store'), 'junk');
    const plain = await buildStaticDashboard({ outDir: join(tmp, 'custom-1'), assetsDir, fallbackStateRoot: 'http://10.0.0.2:8080' });
    expect(plain.files).toEqual(['.nojekyll', 'assets/img/a.svg', 'index.html']);
    const html = readFileSync(join(tmp, 'custom-1', 'index.html'), 'utf8');
    expect(meta(html, 'streamsuites-mode')).toBe('static');
    expect(meta(html, 'streamsuites-fallback-state-root')).toBe('http://10.0.0.2:8080/');

    writeFileSync(join(assetsDir, 'index.html'), `<html><head><meta content='server' name='streamsuites-mode' /><meta name="streamsuites-mode-extra" content="keep"><META NAME="streamsuites-fallback-state-root" CONTENT=""></head></html>`);
    await buildStaticDashboard({ outDir: join(tmp, 'custom-2'), assetsDir });
    const html2 = readFileSync(join(tmp, 'custom-2', 'index.html'), 'utf8');
    expect(meta(html2, 'streamsuites-mode')).toBe('static');
    expect(html2).toContain('<meta name="streamsuites-mode-extra" content="keep">');
    expect(meta(html2, 'streamsuites-fallback-state-root')).toBe('');
    expect(html2).not.toMatch(/server/);
  });

  it.each([
    ['javascript:alert(1)', /uses javascript:/],
    ['ftp://files.example/state/', /uses ftp:/],
    ['state/', /not an absolute URL/],
    ['/state/', /not an absolute URL/],
    ['', /is empty/],
    ['https://user:secret@state.example.net/', /user name or password/],
    ['https://state.example.net/?token=1', /query or #fragment/],
  ])('refuses the fallback %j with a coded error and writes nothing', async (fallbackStateRoot, message) => {
    const outDir = join(tmp, 'refused');
    const error = await buildStaticDashboard({ outDir, fallbackStateRoot }).catch((caught: unknown) => caught);
    expect(SS_ERR_DASHBOARD_BUILD_INVALID.is(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as { hint?: string }).hint).toMatch(/absolute http\(s\) URL/);
    expect(existsSync(outDir)).toBe(false);
  });

  it('refuses a folder that is not empty unless forced; force replaces everything in it', async () => {
    const outDir = join(tmp, 'occupied');
    mkdirSync(outDir);
    writeFileSync(join(outDir, 'keep.txt'), 'mine');
    const error = await buildStaticDashboard({ outDir }).catch((caught: unknown) => caught);
    expect(SS_ERR_DASHBOARD_BUILD_NOT_EMPTY.is(error)).toBe(true);
    expect((error as { hint?: string }).hint).toMatch(/--force/);
    expect(tree(outDir)).toEqual(['keep.txt']);

    const result = await buildStaticDashboard({ outDir, force: true, fallbackStateRoot: 'https://a.example/' });
    expect(tree(outDir)).toEqual(result.files);
    expect(readdirSync(tmp).filter((name) => name.startsWith('.occupied'))).toEqual([]);
    // Building again over a build needs --force too.
    expect(SS_ERR_DASHBOARD_BUILD_NOT_EMPTY.is(await buildStaticDashboard({ outDir }).catch((caught: unknown) => caught))).toBe(true);
  });

  it('writes into an existing empty folder', async () => {
    const outDir = join(tmp, 'empty-dir');
    mkdirSync(outDir);
    const result = await buildStaticDashboard({ outDir });
    expect(tree(outDir)).toEqual(result.files);
  });

  it('refuses a file as the output folder, and the page\'s own folder', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    expect(SS_ERR_DASHBOARD_BUILD_NOT_EMPTY.is(await buildStaticDashboard({ outDir: file, force: true }).catch((caught: unknown) => caught))).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('x');
    for (const outDir of [defaultAssetsDir, resolve(defaultAssetsDir, '..'), join(defaultAssetsDir, 'site')]) {
      const error = await buildStaticDashboard({ outDir, force: true }).catch((caught: unknown) => caught);
      expect(SS_ERR_DASHBOARD_BUILD_INVALID.is(error), outDir).toBe(true);
    }
    expect(existsSync(join(defaultAssetsDir, 'index.html'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// The built page on a static host, in Chromium: each step of the lookup order.

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

/** A static file host on 127.0.0.1: GET/HEAD of files under `dir` (a folder's index.html), 404 otherwise. */
async function staticHost(dir: string, options: { cors?: boolean } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...(options.cors ? { 'Access-Control-Allow-Origin': '*' } : {}) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    } catch {
      return send(400, 'text/plain', 'bad request');
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(dir, `.${path}`);
    const type = TYPES[extname(file)];
    if (!file.startsWith(dir + sep) || type === undefined || !existsSync(file)) return send(404, 'text/plain', 'not found');
    try {
      return send(200, type, readFileSync(file));
    } catch {
      return send(404, 'text/plain', 'not found');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

describe.skipIf(!hasChromium)('the static build in Chromium, on a static host', () => {
  const hosts: { url: string; close: () => Promise<void> }[] = [];
  let context: BrowserContext;
  let page: Page;
  let beside: { url: string };
  let withFallback: { url: string };
  let stateHost: { url: string };
  let otherHost: { url: string };
  let bare: { url: string };

  beforeAll(async () => {
    // (a) a build with the runtime's state published beside index.html, as `streamsuites publish-state --target <dir>` does.
    const siteA = join(tmp, 'browser-beside');
    await buildStaticDashboard({ outDir: siteA });
    await publishState({ from: fixtureRoot, target: siteA });
    // (b) a build with nothing beside it, falling back to a state root on another host (CORS *).
    const stateDir = join(tmp, 'browser-state');
    await publishState({ from: fixtureRoot, target: stateDir });
    const otherDir = join(tmp, 'browser-other');
    await publishState({ from: fixtureRoot, target: otherDir });
    hosts.push((stateHost = await staticHost(stateDir, { cors: true })));
    hosts.push((otherHost = await staticHost(otherDir, { cors: true })));
    const siteB = join(tmp, 'browser-fallback');
    await buildStaticDashboard({ outDir: siteB, fallbackStateRoot: stateHost.url });
    hosts.push((beside = await staticHost(siteA)));
    hosts.push((withFallback = await staticHost(siteB)));
    // (d) nothing beside, no fallback.
    const siteD = join(tmp, 'browser-bare');
    await buildStaticDashboard({ outDir: siteD });
    hosts.push((bare = await staticHost(siteD)));

    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM_TOOL.path,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await context?.close();
    for (const host of hosts.splice(0)) await host.close();
  });

  const js = (expression: string): Promise<unknown> => page.evaluate(expression);
  /** Locator waits (deadline: the default timeout), not string waitForFunction: a page CSP without unsafe-eval would block its retries. */
  const waitForBody = async (attributes: Record<string, string>) => {
    const selector = Object.entries(attributes).map(([name, value]) => `[data-${name}=${JSON.stringify(value)}]`).join('');
    await page.locator(`body${selector}`).waitFor({ state: 'attached' });
  };

  it('publish-state beside the page left out the internal-only files', () => {
    // (The build folder is where the page's static host serves from.)
    expect(existsSync(join(tmp, 'browser-beside', 'runtime/admin/integrations.json'))).toBe(false);
    expect(existsSync(join(tmp, 'browser-beside', 'shared/state/runtime_snapshot.json'))).toBe(true);
  });

  it('(a) state published beside index.html: source "beside", and the page loads it', async () => {
    await page.goto(beside.url);
    await waitForBody({ 'state-root-source': 'beside' });
    expect(await js('document.body.dataset.stateRoot')).toBe(beside.url);
    await waitForBody({ 'runtime-state': 'ok' });
  });

  it('(b) nothing beside, built with a fallback URL: source "fallback", read across origins', async () => {
    await page.goto(withFallback.url);
    await waitForBody({ 'state-root-source': 'fallback' });
    expect(await js('document.body.dataset.stateRoot')).toBe(stateHost.url);
    await waitForBody({ 'runtime-state': 'ok' });
  });

  it('(c) ?stateRoot= beats state beside the page, is saved, and is used again after a reload without it', async () => {
    await page.goto(`${beside.url}?stateRoot=${encodeURIComponent(otherHost.url)}`);
    await waitForBody({ 'state-root-source': 'query' });
    expect(await js('document.body.dataset.stateRoot')).toBe(otherHost.url);
    expect(await js(`localStorage.getItem(${JSON.stringify(OVERRIDE_KEY)})`)).toBe(otherHost.url);
    await waitForBody({ 'runtime-state': 'ok' });

    await page.goto(beside.url);
    await waitForBody({ 'state-root-source': 'localStorage' });
    expect(await js('document.body.dataset.stateRoot')).toBe(otherHost.url);
    await waitForBody({ 'runtime-state': 'ok' });
    await js(`localStorage.removeItem(${JSON.stringify(OVERRIDE_KEY)})`);
  }, 30_000);

  it('(d) nothing beside and no fallback: source "none", no state root', async () => {
    await page.goto(bare.url);
    await waitForBody({ 'state-root-source': 'none' });
    expect(await js('document.body.dataset.stateRoot')).toBe('');
    await waitForBody({ 'runtime-state': 'missing' });
  });
});
