// Copied into the pack-check project and run there: a host that embeds the
// kernel and loads examples/custom-trigger (streamsuites-plugin-emote-combo)
// by package name from a JSON manifest (argv[2]), as its README shows. A
// stand-in chat plugin records the replies; prints them as one JSON line.
import { actionDispatcherRef, createKernel, definePlugin } from '@streamsuites/kernel';
import { withDefaults } from '@streamsuites/defaults';

const manifest = process.argv[2];
const replies = [];
const fakeChat = definePlugin({
  id: 'fake-chat',
  version: '1.0.0',
  kernel: '^0.2.0',
  register(reg) {
    reg.onInit({
      deps: { actions: actionDispatcherRef },
      init: ({ deps }) =>
        void deps.actions.registerHandler({
          type: 'chat.reply',
          platform: 'twitch',
          handle: (params, ctx) => void replies.push(`${ctx.creatorId}: ${params.text}`),
        }),
    });
  },
});

const kernel = await createKernel(withDefaults({ manifest, plugins: [fakeChat], logLevel: 'warn' }));
await kernel.start();
const T0 = Date.now();
const say = async (creatorId, sec, login, emote) => {
  const author = { id: login, login, displayName: login, roles: [] };
  const at = T0 + sec * 1000;
  kernel.bus.emit('chat.message', {
    id: `${creatorId}-${sec}`, platform: 'twitch', creatorId, channel: creatorId, receivedAt: at, sentAt: at,
    author, text: emote, isAction: false, emotes: [{ id: `id-${emote}`, name: emote, start: 0, end: emote.length }],
  });
  await kernel.idle();
};
for (const [sec, login] of ['anna', 'ben', 'cleo'].entries()) await say('alice', sec, login, 'Kappa');
for (let i = 0; i < 5; i++) await say('bob', i, `viewer${i}`, 'PogChamp');
const plugins = kernel.status().plugins.filter((p) => p.id === 'emote-combo').map((p) => `${p.id}@${p.version} ${p.status}`);
await kernel.stop();
process.stdout.write(`${JSON.stringify({ plugins, replies })}\n`);
