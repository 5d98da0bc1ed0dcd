import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import storeSqlite from '@streamsuites/store-sqlite';
import { loadAccount, open, parseSecretKey, seal, SS_ERR_X_SECRET_KEY, SS_ERR_X_TOKEN_DECRYPT } from '../src/index.js';
import { fakeX, newKey, online, settledJobs, startX, tempDir } from './helpers.js';

describe('the encryption key', () => {
  it('accepts 32 bytes as base64, base64url or hex', () => {
    const bytes = randomBytes(32);
    expect(parseSecretKey(bytes.toString('base64')).equals(bytes)).toBe(true);
    expect(parseSecretKey(bytes.toString('base64url')).equals(bytes)).toBe(true);
    expect(parseSecretKey(bytes.toString('hex')).equals(bytes)).toBe(true);
  });

  it('a missing or wrong-length key is SS_ERR_X_SECRET_KEY, and the message never echoes it', () => {
    for (const bad of [undefined, '', '   ', randomBytes(16).toString('base64'), randomBytes(31).toString('hex'), 'not a key!']) {
      let error: unknown;
      try {
        parseSecretKey(bad);
      } catch (e) {
        error = e;
      }
      expect(SS_ERR_X_SECRET_KEY.is(error)).toBe(true);
      if (bad !== undefined && bad.trim() !== '') expect((error as Error).message).not.toContain(bad);
    }
  });

  it('AES-256-GCM: a sealed value opens with its key and place only', () => {
    const key = randomBytes(32);
    const sealed = seal(key, 'secret value', 'x.accounts/a');
    expect(JSON.stringify(sealed)).not.toContain('secret value');
    expect(open(key, sealed, 'x.accounts/a')).toBe('secret value');
    expect(open(randomBytes(32), sealed, 'x.accounts/a')).toBeUndefined();
    expect(open(key, sealed, 'x.accounts/b')).toBeUndefined();
    expect(open(key, { ...sealed, data: Buffer.from('tampered').toString('base64') }, 'x.accounts/a')).toBeUndefined();
    expect(seal(key, 'secret value', 'x.accounts/a').iv).not.toBe(sealed.iv);
  });
});

describe('tokens at rest', () => {
  it('the SQLite row holds no token in clear; a run with another key fails the creator with SS_ERR_X_TOKEN_DECRYPT', async () => {
    const fake = await fakeX();
    const key = newKey();
    const dataDir = tempDir();
    const first = await startX({ fake, key, dataDir, plugins: [storeSqlite] });
    const row = JSON.stringify(await first.store.get('x.accounts', 'streamsuitesbot'));
    expect(row).toContain('"alg":"A256GCM"');
    expect(row).not.toContain(first.tokens!.refreshToken);
    expect(row).not.toContain(first.tokens!.accessToken);
    expect((await loadAccount(first.store, parseSecretKey(key), 'streamsuitesbot'))?.refreshToken).toBe(first.tokens!.refreshToken);
    await expect(loadAccount(first.store, randomBytes(32), 'streamsuitesbot')).rejects.toMatchObject({ code: 'SS_ERR_X_TOKEN_DECRYPT' });
    await first.stop();

    const second = await startX({ fake, key, runKey: newKey(), dataDir, plugins: [storeSqlite], seed: false });
    const failed = second.events.of('kernel.plugin.failed');
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed[0])).toContain(SS_ERR_X_TOKEN_DECRYPT.code);
  });

  it('no key at all: the plugin fails to initialise with SS_ERR_X_SECRET_KEY (reported; the rest of the runtime runs)', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey(), runKey: null, seed: false });
    const failed = t.events.of('kernel.plugin.failed');
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed[0])).toContain('SS_ERR_X_SECRET_KEY');
    expect(t.logs.text()).toContain('STREAMSUITES_SECRET_KEY is not set');
  });

  it('a creator whose account was never authorized fails at start with SS_ERR_X_ACCOUNT_MISSING; others run', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey(), creators: { daniel: {}, eve: { x: { account: 'someone_else' } } } });
    const failed = t.events.of('kernel.plugin.failed');
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed[0])).toContain('SS_ERR_X_ACCOUNT_MISSING');
    expect(JSON.stringify(failed[0])).toContain('eve');
  });

  it('a confidential client refreshes with HTTP Basic; the client secret, the key and the tokens never reach the logs', async () => {
    const clientSecret = 'client-secret-0123456789abcdef';
    const fake = await fakeX({ clientSecret, accessTokenTtlSec: 30 });
    const key = newKey();
    const t = await startX({ fake, key, plugin: { clientSecret } });
    t.bus.emit('stream.online', online());
    const [job] = await settledJobs(t.jobs, 1);
    expect(job!.state).toBe('succeeded');
    expect(fake.requests().filter((r) => r.grantType === 'refresh_token').map((r) => r.status)).toEqual([200]);
    const logs = t.logs.text();
    expect(logs).toContain('X access token refreshed');
    for (const secret of [clientSecret, key, t.tokens!.accessToken, t.tokens!.refreshToken, ...fake.liveRefreshTokens()]) expect(logs).not.toContain(secret);
  });

  it('an apiUrl that is not an http(s) URL is SS_ERR_X_CONFIG at init', async () => {
    const fake = await fakeX();
    const t = await startX({ fake, key: newKey(), seed: false, plugin: { apiUrl: 'api.x.com' } });
    expect(JSON.stringify(t.events.of('kernel.plugin.failed'))).toContain('SS_ERR_X_CONFIG');
  });
});

