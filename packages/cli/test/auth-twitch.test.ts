import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDefaults } from '@streamsuites/defaults';
import { createKernel, stateStoreRef } from '@streamsuites/kernel';
import { startFakeTwitchEventSub } from '@streamsuites/plugin-twitch/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { manifestEventTypes } from '../src/commands/auth-twitch.js';
import { cli } from './helpers.js';

// Until @streamsuites/plugin-twitch's index re-exports its Helix module, the command finds it here.
/** The real SQLite store, as a host would install it (resolved by path: the CLI does not depend on it). */
const storeSqlite = fileURLToPath(new URL('../../store-sqlite/dist/index.js', import.meta.url));

const ACCESS = 'accesstokenabcdefghij0123456789';
const REFRESH = 'refreshtokenzyxwvutsrq9876543210';
const DEVICE = 'devicecodesecret42';

/**
 * Twitch's OAuth endpoints for the Device Code Grant Flow, as documented:
 * `POST /oauth2/device`, `POST /oauth2/token` (`{ status: 400, message:
 * 'authorization_pending' }` until the scripted outcome), `GET /oauth2/validate`.
 */
async function fakeTwitchOAuth(outcomes: { status: number; body: unknown }[]) {
  const deviceForms: URLSearchParams[] = [];
  let tokenPolls = 0;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const send = (s: number, b: unknown) => res.writeHead(s, { 'content-type': 'application/json' }).end(JSON.stringify(b));
      const form = new URLSearchParams(raw);
      if (req.method === 'POST' && req.url === '/oauth2/device') {
        deviceForms.push(form);
        if (form.get('client_id') !== 'client-abc') return send(400, { status: 400, message: 'invalid client' });
        // Twitch says interval 5; a short one keeps the test fast.
        return send(200, { device_code: DEVICE, expires_in: 1800, interval: 0.01, user_code: 'WXYZ-1234', verification_uri: 'https://www.twitch.tv/activate?public=true&device-code=WXYZ-1234' });
      }
      if (req.method === 'POST' && req.url === '/oauth2/token') {
        tokenPolls += 1;
        if (form.get('device_code') !== DEVICE || form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:device_code') {
          return send(400, { status: 400, message: 'invalid device code' });
        }
        const next = outcomes.shift() ?? { status: 400, body: { status: 400, message: 'authorization_pending' } };
        return send(next.status, next.body);
      }
      if (req.method === 'GET' && req.url === '/oauth2/validate') {
        if (req.headers.authorization !== `OAuth ${ACCESS}`) return send(401, { status: 401, message: 'invalid access token' });
        return send(200, { client_id: 'client-abc', login: 'streambot', scopes: ['user:read:chat', 'user:write:chat'], user_id: '424242', expires_in: 14400 });
      }
      send(404, { status: 404, message: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2`,
    deviceForms,
    polls: () => tokenPolls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const pending = { status: 400, body: { status: 400, message: 'authorization_pending' } };
const approved = { status: 200, body: { access_token: ACCESS, expires_in: 14400, refresh_token: REFRESH, scope: ['user:read:chat', 'user:write:chat'], token_type: 'bearer' } };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function project(persistent = true): { dir: string; manifest: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ss-auth-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const manifest = join(dir, 'streamsuites.json');
  writeFileSync(manifest, JSON.stringify({
    kernel: '^0.2.0',
    dataDir: './data',
    plugins: persistent ? { 'store-sqlite': { package: storeSqlite } } : {},
    creators: {},
  }));
  return { dir, manifest };
}

async function oauth(outcomes: { status: number; body: unknown }[]) {
  const server = await fakeTwitchOAuth(outcomes);
  cleanups.push(server.close);
  return server;
}

async function storedTokens(manifest: string, login: string) {
  const kernel = await createKernel(withDefaults({ manifest, logLevel: 'silent' }));
  try {
    return await kernel.resolve(stateStoreRef).get<Record<string, unknown>>('twitch.accounts', login);
  } finally {
    await kernel.stop();
  }
}

describe('streamsuites auth twitch', () => {
  it('device flow: prints the URL and code, polls through two pendings, stores the tokens and reports features', async () => {
    const { manifest } = project();
    const twitch = await oauth([pending, pending, approved]);
    const { code, stdout, stderr } = await cli(['auth', 'twitch', '--manifest', manifest, '--oauth-url', twitch.url], { TWITCH_CLIENT_ID: 'client-abc' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(twitch.polls()).toBe(3);
    expect(twitch.deviceForms[0]!.get('scopes')).toBe('user:read:chat user:write:chat');
    expect(stdout).toContain('https://www.twitch.tv/activate?public=true&device-code=WXYZ-1234');
    expect(stdout).toContain('WXYZ-1234');
    expect(stdout).toContain('Authorized Twitch account "streambot" (user id 424242)');
    expect(stdout).toContain('Granted scopes: user:read:chat user:write:chat');
    expect(stdout).toMatch(/enabled\s+chat\.read/);
    expect(stdout).toMatch(/enabled\s+chat\.send/);
    expect(stdout).toMatch(/missing\s+redemptions\.update\s+needs channel:manage:redemptions/);
    expect(stdout).toMatch(/missing\s+events\.redemption\s+needs channel:read:redemptions or channel:manage:redemptions/);
    for (const secret of [ACCESS, REFRESH, DEVICE]) expect(stdout + stderr).not.toContain(secret);

    const stored = await storedTokens(manifest, 'streambot');
    expect(stored).toMatchObject({ kind: 'device', login: 'streambot', userId: '424242', clientId: 'client-abc', accessToken: ACCESS, refreshToken: REFRESH, scopes: ['user:read:chat', 'user:write:chat'] });
    expect(stored!.expiresAt as number).toBeGreaterThan(Date.now() + 14_000_000);
  });

  it('--scopes and --client-id choose what is requested; a scope not granted is reported', async () => {
    const { manifest } = project();
    const twitch = await oauth([approved]);
    const { code, stdout } = await cli(['auth', 'twitch', '--manifest', manifest, '--oauth-url', twitch.url, '--client-id', 'client-abc', '--scopes', 'user:read:chat,user:write:chat channel:manage:redemptions']);
    expect(code).toBe(0);
    expect(twitch.deviceForms[0]!.get('scopes')).toBe('user:read:chat user:write:chat channel:manage:redemptions');
    expect(stdout).toContain('Not granted: channel:manage:redemptions');
  });

  it('an expired code fails with SS_ERR_TWITCH_DEVICE_AUTH (exit 1) and stores nothing', async () => {
    const { manifest } = project();
    const twitch = await oauth([pending, { status: 400, body: { status: 400, message: 'invalid device code' } }]);
    const { code, stdout, stderr } = await cli(['auth', 'twitch', '--manifest', manifest, '--oauth-url', twitch.url], { TWITCH_CLIENT_ID: 'client-abc' });
    expect(code).toBe(1);
    expect(stderr).toContain('error SS_ERR_TWITCH_DEVICE_AUTH');
    expect(stderr).toContain('expired_token');
    expect(stdout + stderr).not.toContain(DEVICE);
    expect(await storedTokens(manifest, 'streambot')).toBeUndefined();
  });

  it('a declined authorization fails with access_denied (exit 1)', async () => {
    const { manifest } = project();
    const twitch = await oauth([pending, { status: 400, body: { status: 400, message: 'access_denied' } }]);
    const { code, stderr } = await cli(['auth', 'twitch', '--manifest', manifest, '--oauth-url', twitch.url], { TWITCH_CLIENT_ID: 'client-abc' });
    expect(code).toBe(1);
    expect(stderr).toContain('access_denied');
    expect(stderr).toContain('hint:');
  });

  it('a manifest without a persistent store is refused before asking Twitch (exit 2)', async () => {
    const { manifest } = project(false);
    const twitch = await oauth([approved]);
    const { code, stderr } = await cli(['auth', 'twitch', '--manifest', manifest, '--oauth-url', twitch.url], { TWITCH_CLIENT_ID: 'client-abc' });
    expect(code).toBe(2);
    expect(stderr).toContain('keeps state in memory');
    expect(twitch.deviceForms).toHaveLength(0);
  });

  it('usage errors exit 2: no client id, unknown platform, stray argument', async () => {
    const { manifest } = project();
    const noClient = await cli(['auth', 'twitch', '--manifest', manifest]);
    expect(noClient.code).toBe(2);
    expect(noClient.stderr).toContain('TWITCH_CLIENT_ID');
    const platform = await cli(['auth', 'kick']);
    expect(platform.code).toBe(2);
    expect(platform.stderr).toContain('unknown platform "kick"');
    const extra = await cli(['auth', 'twitch', 'extra', '--client-id', 'x']);
    expect(extra.code).toBe(2);
  });

  it('the default scopes follow the manifest: each creator\'s config.twitch.events', () => {
    expect(manifestEventTypes({ creators: {
      daniel: { config: { twitch: { events: ['channel.follow', 'channel.cheer'] } } },
      eve: { config: { twitch: { events: ['channel.follow', 'channel.channel_points_custom_reward_redemption.add'] } } },
      bob: { config: {} },
    } })).toEqual(['channel.follow', 'channel.cheer', 'channel.channel_points_custom_reward_redemption.add']);
    expect(manifestEventTypes({})).toEqual([]);
  });

  it('help: listed in the main help, and its own help names the flags', async () => {
    expect((await cli(['--help'])).stdout).toContain('auth twitch');
    const help = await cli(['auth', 'twitch', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--client-id', '--oauth-url', '--scopes', '--manifest', 'TWITCH_CLIENT_ID']) expect(help.stdout).toContain(flag);
  });

  it('end to end against the shared fake Twitch: pending twice, approved, the stored token validates', async () => {
    const { manifest } = project();
    const fake = await startFakeTwitchEventSub({ deviceInterval: 0.02 });
    cleanups.push(() => fake.close());
    const running = cli(['auth', 'twitch', '--manifest', manifest, '--oauth-url', fake.oauthUrl, '--client-id', fake.clientId]);
    const polls = () => fake.requests().filter((r) => r.path === '/oauth2/token').length;
    await fake.until(() => fake.devices().length === 1 && polls() >= 2);
    fake.approveDevice(fake.devices()[0]!.userCode, { login: 'streambot' });
    const { code, stdout, stderr } = await running;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(polls()).toBeGreaterThanOrEqual(3);
    expect(stdout).toContain(fake.devices()[0]!.userCode);
    expect(stdout).toContain('Authorized Twitch account "streambot"');
    const stored = await storedTokens(manifest, 'streambot');
    const accessToken = stored!.accessToken as string;
    expect(accessToken.length).toBeGreaterThan(10);
    expect(stdout + stderr).not.toContain(accessToken);
    expect(stdout + stderr).not.toContain(stored!.refreshToken as string);
    // The stored token is the one Twitch issued: it validates as the bot with the requested scopes.
    const validated = await fetch(`${fake.oauthUrl}/validate`, { headers: { Authorization: `OAuth ${accessToken}` } }).then((r) => r.json());
    expect(validated).toMatchObject({ login: 'streambot', scopes: ['user:read:chat', 'user:write:chat'] });
  });
});

describe('auth twitch: scopes for the chat rules', () => {
  it('asks for the moderation scopes only when a Twitch creator\'s chatBehaviour deletes or times out', async () => {
    const { manifestModerationFeatures } = await import('../src/commands/auth-twitch.js');
    const { scopesFor } = await import('@streamsuites/plugin-twitch');
    const creator = (chatBehaviour: unknown, enable = ['twitch']) => ({ enable, chatBehaviour });
    expect(manifestModerationFeatures({ creators: { a: creator({ bannedPhrases: [{ phrase: 'x', action: 'warn' }] }) } })).toEqual([]);
    expect(manifestModerationFeatures({ creators: { a: creator({ bannedPhrases: [{ phrase: 'x', action: 'delete' }] }, ['youtube']) } })).toEqual([]);
    const features = manifestModerationFeatures({
      creators: { a: creator({ bannedPhrases: [{ phrase: 'x', action: 'delete' }] }), b: creator({ userRateLimit: { messages: 5, perSec: 10, action: 'timeout' } }) },
    });
    expect(features).toEqual(['moderation.delete', 'moderation.timeout']);
    expect(scopesFor(features as never)).toEqual(['moderator:manage:chat_messages', 'moderator:manage:banned_users']);
  });
});
