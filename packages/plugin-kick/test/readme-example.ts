// The README's "Try it" example, runnable: npx tsx --conditions=@streamsuites/source test/readme-example.ts
import { createKernel } from '@streamsuites/kernel';
import { withDefaults } from '@streamsuites/defaults';
import kickPlugin from '@streamsuites/plugin-kick';
import { startFakeKick } from '@streamsuites/plugin-kick/testing';

const kick = await startFakeKick();
const channel = kick.addChannel({ slug: 'maya', broadcasterUserId: 4242 });
const user = kick.issueUserToken(); // as after the creator authorized the app (chat:write)

const kernel = await createKernel(withDefaults({
  plugins: [kickPlugin],
  env: { KICK_CLIENT_SECRET: kick.clientSecret, KICK_TOKEN_MAYA: user.accessToken, KICK_REFRESH_MAYA: user.refreshToken },
  manifest: {
    plugins: {
      kick: {
        config: {
          clientId: kick.clientId,
          clientSecret: '${env:KICK_CLIENT_SECRET}',
          apiOrigin: kick.origin,
          idOrigin: kick.origin,
          webhook: { port: 0 },
        },
      },
    },
    creators: {
      maya: {
        enable: ['kick'],
        config: { kick: { channel: 'maya', accessToken: '${env:KICK_TOKEN_MAYA}', refreshToken: '${env:KICK_REFRESH_MAYA}' } },
        triggers: [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}!' } }] }],
      },
    },
  },
}));
let webhookUrl = '';
kernel.bus.on('kick.webhook', (e) => {
  webhookUrl = e.url;
});
kernel.bus.on('chat.message', (m) => console.log(`${m.author.displayName}: ${m.text}`));
await kernel.start();

// The fake signs like Kick: the plugin verifies, dedupes, normalizes.
const replied = kernel.bus.waitFor('action.dispatched', (a) => a.action.type === 'chat.reply');
await kick.deliver(webhookUrl, 'chat.message.sent', kick.chatMessage(channel, { text: '!hello', sender: { userId: 7, username: 'Anna' } }));
await replied;
console.log(`bot replied: ${kick.chatPosts()[0]!.content}`); // bot replied: hi Anna!
await kernel.stop();
await kick.close();
