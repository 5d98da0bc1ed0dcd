import { startTestKernel } from '@streamsuites/testing';
import { expect, it } from 'vitest';
import kickPlugin from '../src/index.js';
import { fakeKick, startKick } from './helpers.js';

it('verifies with a pinned webhook.publicKey without fetching it', async () => {
  const fake = await fakeKick();
  const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
  const { t, webhookUrl } = await startKick({ fake, creators: { daniel: { channel } }, plugin: { webhook: { publicKey: fake.publicKeyPem } } });
  expect((await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: 'pinned' }))).status).toBe(200);
  expect((await t.events.waitFor('chat.message')).text).toBe('pinned');
  expect((await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text: 'x' }), { wrongKey: true })).status).toBe(401);
  expect(fake.requests()).not.toContain('GET /public/v1/public-key');
});

it('fetches the key from GET /public/v1/public-key once when none is pinned', async () => {
  const fake = await fakeKick();
  const channel = fake.addChannel({ slug: 'daniel', broadcasterUserId: 42 });
  const { t, webhookUrl } = await startKick({ fake, creators: { daniel: { channel } } });
  for (const text of ['one', 'two']) await fake.deliver(webhookUrl, 'chat.message.sent', fake.chatMessage(channel, { text }));
  await t.events.waitFor('chat.message', (m) => m.text === 'two');
  expect(fake.requests().filter((r) => r === 'GET /public/v1/public-key')).toHaveLength(1);
});

it('refuses to start with a pinned key that is not an RSA PEM (SS_ERR_KICK_PUBLIC_KEY)', async () => {
  const fake = await fakeKick();
  const t = await startTestKernel({
    plugins: [kickPlugin],
    start: false,
    manifest: {
      plugins: { kick: { config: { clientId: fake.clientId, clientSecret: fake.clientSecret, apiOrigin: fake.origin, idOrigin: fake.origin, webhook: { port: 0, publicKey: `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(120)}\n-----END PUBLIC KEY-----` } } } },
      creators: {},
    },
  });
  await t.kernel.start();
  expect(t.events.of('kernel.plugin.failed')).toEqual([
    expect.objectContaining({ pluginId: 'kick', phase: 'init', error: expect.objectContaining({ code: 'SS_ERR_PLUGIN_INIT_FAILED', cause: expect.objectContaining({ code: 'SS_ERR_KICK_PUBLIC_KEY' }) }) }),
  ]);
  // Nothing listens: no kick.webhook event.
  expect(t.events.of('kick.webhook')).toEqual([]);
});
