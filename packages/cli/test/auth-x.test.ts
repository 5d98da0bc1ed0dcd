import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDefaults } from '@streamsuites/defaults';
import { createKernel, stateStoreRef } from '@streamsuites/kernel';
import { loadAccount, parseSecretKey } from '@streamsuites/plugin-x';
import { startFakeXApi, type FakeXApi } from '@streamsuites/plugin-x/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../src/index.js';
import { cli, fixtures } from './helpers.js';

/** The real SQLite store, as a host would install it (resolved by path: the CLI does not depend on it). */
const storeSqlite = fileURLToPath(new URL('../../store-sqlite/dist/index.js', import.meta.url));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function project(persistent = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'ss-auth-x-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const manifest = join(dir, 'streamsuites.json');
  writeFileSync(manifest, JSON.stringify({ kernel: '^0.2.0', dataDir: './data', plugins: persistent ? { 'store-sqlite': { package: storeSqlite } } : {}, creators: {} }));
  return manifest;
}

async function fake(): Promise<FakeXApi> {
  const x = await startFakeXApi();
  cleanups.push(() => x.close());
  return x;
}

/** Runs `streamsuites auth x` in-process; `stdout()` can be read while it runs. */
function run(argv: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd: fixtures };
  const done = main(['auth', 'x', ...argv], io);
  return { done, stdout: () => stdout, stderr: () => stderr };
}

/** The authorize URL once the command printed it. */
async function printedUrl(out: () => string, prefix: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const match = out().split('\n').find((line) => line.startsWith(prefix));
    if (match !== undefined) return match.trim();
    if (Date.now() > deadline) throw new Error(`no authorize URL printed; stdout:\n${out()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function stored(manifest: string, account: string, key: string) {
  const kernel = await createKernel(withDefaults({ manifest, logLevel: 'silent' }));
  try {
    const store = kernel.resolve(stateStoreRef);
    return { row: await store.get('x.accounts', account), tokens: await loadAccount(store, parseSecretKey(key), account) };
  } finally {
    await kernel.stop();
  }
}

const KEY = randomBytes(32).toString('base64');

describe('streamsuites auth x', () => {
  it('PKCE through the 127.0.0.1 redirect: a browser GET of the printed URL comes back, the code is exchanged, the tokens are stored encrypted', async () => {
    const manifest = project();
    const x = await fake();
    const cmd = run(['--manifest', manifest, '--port', '0', '--api-url', x.url, '--authorize-url', x.authorizeUrl], { X_CLIENT_ID: x.clientId, STREAMSUITES_SECRET_KEY: KEY });
    const url = await printedUrl(cmd.stdout, x.authorizeUrl);
    const authorize = new URL(url);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('tweet.read tweet.write users.read offline.access');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    // The browser: X redirects it to the loopback listener, which answers the page.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('authorized');
    expect(await cmd.done).toBe(0);
    expect(cmd.stderr()).toBe('');
    expect(cmd.stdout()).toContain('Authorized X account @StreamSuitesBot (user id 1500000000000000001)');
    expect(cmd.stdout()).toContain('x.accounts / streamsuitesbot');
    // The exchange really used the verifier (the fake checks S256) and only one code was spent.
    expect(x.requests().filter((r) => r.path === '/2/oauth2/token').map((r) => `${r.grantType} ${r.status}`)).toEqual(['authorization_code 200']);
    const { row, tokens } = await stored(manifest, 'streamsuitesbot', KEY);
    expect(tokens?.refreshToken).toBe(x.liveRefreshTokens()[0]);
    expect(JSON.stringify(row)).not.toContain(tokens!.refreshToken);
    expect(JSON.stringify(row)).not.toContain(tokens!.accessToken);
    expect(cmd.stdout() + cmd.stderr()).not.toContain(tokens!.refreshToken);
    await expect(loadAccountWith(manifest, randomBytes(32).toString('hex'))).rejects.toMatchObject({ code: 'SS_ERR_X_TOKEN_DECRYPT' });
  });

  it('a redirect with the wrong state is refused (400) and the flow goes on to the real one', async () => {
    const manifest = project();
    const x = await fake();
    const cmd = run(['--manifest', manifest, '--port', '0', '--client-id', x.clientId, '--api-url', x.url, '--authorize-url', x.authorizeUrl, '--account', 'Main'], { STREAMSUITES_SECRET_KEY: KEY });
    const url = await printedUrl(cmd.stdout, x.authorizeUrl);
    const redirect = new URL(new URL(url).searchParams.get('redirect_uri')!);
    redirect.searchParams.set('state', 'forged');
    redirect.searchParams.set('code', 'attacker-code');
    const forged = await fetch(redirect);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('state mismatch');
    await fetch(url);
    expect(await cmd.done).toBe(0);
    expect((await stored(manifest, 'main', KEY)).tokens?.username).toBe('StreamSuitesBot');
  });

  it('a declined authorization fails with SS_ERR_X_OAUTH (exit 1) and stores nothing', async () => {
    const manifest = project();
    const x = await fake();
    x.denyAuthorization();
    const cmd = run(['--manifest', manifest, '--port', '0', '--api-url', x.url, '--authorize-url', x.authorizeUrl], { X_CLIENT_ID: x.clientId, STREAMSUITES_SECRET_KEY: KEY });
    await fetch(await printedUrl(cmd.stdout, x.authorizeUrl));
    expect(await cmd.done).toBe(1);
    expect(cmd.stderr()).toContain('error SS_ERR_X_OAUTH');
    expect(cmd.stderr()).toContain('access_denied');
    expect((await stored(manifest, 'streamsuitesbot', KEY)).row).toBeUndefined();
  });

  it('no key, or a key of the wrong length: SS_ERR_X_SECRET_KEY (exit 1) before anything listens', async () => {
    const manifest = project();
    const x = await fake();
    for (const env of [{}, { STREAMSUITES_SECRET_KEY: randomBytes(16).toString('base64') }] as Record<string, string>[]) {
      const { code, stdout, stderr } = await cli(['auth', 'x', '--manifest', manifest, '--port', '0', '--api-url', x.url, '--authorize-url', x.authorizeUrl], { X_CLIENT_ID: x.clientId, ...env });
      expect(code).toBe(1);
      expect(stderr).toContain('error SS_ERR_X_SECRET_KEY');
      expect(stdout).not.toContain('http');
    }
    expect(x.requests()).toHaveLength(0);
  });

  it('a manifest without a persistent store is refused (exit 2); usage errors exit 2; help names the flags', async () => {
    const x = await fake();
    const memory = await cli(['auth', 'x', '--manifest', project(false), '--port', '0', '--api-url', x.url], { X_CLIENT_ID: x.clientId, STREAMSUITES_SECRET_KEY: KEY });
    expect(memory.code).toBe(2);
    expect(memory.stderr).toContain('keeps state in memory');
    const noClient = await cli(['auth', 'x', '--manifest', project()], { STREAMSUITES_SECRET_KEY: KEY });
    expect(noClient.code).toBe(2);
    expect(noClient.stderr).toContain('X_CLIENT_ID');
    expect((await cli(['auth', 'x', '--port', 'abc', '--manifest', project()])).code).toBe(2);
    const help = await cli(['auth', 'x', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--client-id', '--port', '--manifest', 'STREAMSUITES_SECRET_KEY', '127.0.0.1']) expect(help.stdout).toContain(flag);
    expect((await cli(['auth', '--help'])).stdout).toContain('x         X (Twitter)');
  });
});

async function loadAccountWith(manifest: string, key: string) {
  return (await stored(manifest, 'streamsuitesbot', key)).tokens;
}
