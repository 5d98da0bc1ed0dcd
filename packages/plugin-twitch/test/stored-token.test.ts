import { MemoryStateStore } from '@streamsuites/defaults';
import { stateStoreRef } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import twitchPlugin, { saveUserTokens } from '../src/index.js';
import { startFakeTwitchChat } from '../src/testing.js';
import { joined } from './chat-helpers.js';

const STORED = 'storedbydeviceflow0123456789ab';

async function run(store: MemoryStateStore) {
  const fake = await startFakeTwitchChat();
  onTestFinished(() => fake.close());
  fake.setValidTokens([STORED]);
  const t = await startTestKernel({
    plugins: [twitchPlugin],
    services: [{ ref: stateStoreRef, factory: () => store }],
    manifest: {
      plugins: { twitch: { config: { chatUrl: fake.url, redundancy: 1 } } },
      creators: { alice: { enable: ['twitch'], config: { twitch: { channel: 'alice', botLogin: 'SSBot' } } } },
    },
  });
  return { fake, t };
}

describe('a creator without a token in the manifest', () => {
  it('logs in with the token `streamsuites auth twitch` stored for the bot account', async () => {
    const store = new MemoryStateStore();
    await saveUserTokens(store, { kind: 'device', login: 'ssbot', userId: '2002', clientId: 'cid', accessToken: STORED, refreshToken: 'r', scopes: ['chat:read'], obtainedAt: 0, expiresAt: 0 });
    const { fake, t } = await run(store);
    await fake.until(joined(fake, 'alice'), { message: 'joined with the stored token' });
    expect(t.logs.text()).not.toContain(STORED);
    await t.stop();
  });

  it('without a stored one either, that creator fails with SS_ERR_TWITCH_CONFIG saying how to get one', async () => {
    const { t } = await run(new MemoryStateStore());
    const failed = await t.events.waitFor('kernel.plugin.failed');
    expect(failed.error.message).toContain('Twitch config of creator "alice": no token for ssbot');
    expect(failed.error.message).toContain('run `streamsuites auth twitch` logged in as ssbot');
    expect(t.kernel.status().state).toBe('running');
    await t.stop();
  });
});
