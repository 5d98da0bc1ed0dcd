import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionDispatcherRef } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { fakeKick, startKick, tempDir } from './helpers.js';

describe('rotated user tokens survive a restart', () => {
  it('a restart renews with the newest refresh token (Kick retired the configured one); a new authorization in the manifest starts over', async () => {
    const fake = await fakeKick();
    const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
    const user = fake.issueUserToken();
    const dataDir = tempDir();
    const storeSqlite = (await import('@streamsuites/store-sqlite')).default;
    const boot = (tokens: { accessToken: string; refreshToken: string }) =>
      startKick({ fake, dataDir, plugins: [storeSqlite], creators: { daniel: { channel, config: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken } } } });
    const reply = (t: Awaited<ReturnType<typeof boot>>['t'], text: string) =>
      t.kernel.resolve(actionDispatcherRef).dispatch({ type: 'chat.reply', params: { text } }, { creatorId: 'daniel', message: { platform: 'kick' } as never });

    const first = await boot(user);
    fake.expireAccessTokens();
    expect((await reply(first.t, 'one')).outcome).toBe('executed'); // refreshed: the configured refresh token is now retired
    await first.t.stop();

    // Same manifest, new process: the configured tokens are dead; the stored newest ones work.
    const second = await boot(user);
    expect((await reply(second.t, 'two')).outcome).toBe('executed');
    fake.expireAccessTokens();
    expect((await reply(second.t, 'three')).outcome).toBe('executed');
    expect(fake.chatPosts().map((p) => p.content)).toEqual(['one', 'two', 'three']);
    expect(second.t.events.of('platform.auth-failed')).toEqual([]);
    await second.t.stop();
    // The tokens are kept in the store, the configured refresh token itself is not (only a one-way tag of it).
    const files = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && /\.db(-wal)?$/.test(f.name));
    expect(files.length).toBeGreaterThan(0);
    const bytes = files.map((f) => readFileSync(join(f.parentPath, f.name)).toString('latin1')).join('');
    expect(bytes).toContain('kick.tokens');
    expect(bytes).not.toContain(user.refreshToken);

    // The operator authorized again and put the new tokens in the manifest: those are used, not the stored line.
    const fresh = fake.issueUserToken();
    const third = await boot(fresh);
    expect((await reply(third.t, 'four')).outcome).toBe('executed');
    expect(fake.chatPosts().at(-1)).toMatchObject({ content: 'four', token: fresh.accessToken });
    await third.t.stop();
  });
});
