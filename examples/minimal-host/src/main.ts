// A host app embedding the StreamSuites kernel with one tiny plugin.
import { busRef, createKernel, definePlugin, Type } from '@streamsuites/kernel';

const greeter = definePlugin({
  id: 'greeter',
  version: '1.0.0',
  kernel: '^0.2.0',
  creatorConfigSchema: Type.Object({ greeting: Type.String({ default: 'hello' }) }),
  register(reg) {
    reg.onInit({
      deps: { bus: busRef },
      start: ({ deps, creator, creatorConfig }) =>
        // The returned unsubscribe runs when the creator stops.
        deps.bus.on('chat.message', (msg) => {
          if (msg.creatorId === creator.id && msg.text === '!hello') {
            console.log(`[${creator.id}] ${creatorConfig.greeting}, ${msg.author.displayName}!`);
          }
        }),
    });
  },
});

const kernel = await createKernel({
  plugins: [greeter],
  manifest: { logLevel: 'warn', creators: { alice: { enable: ['greeter'] }, bob: { enable: ['greeter'], config: { greeter: { greeting: 'hey' } } } } },
});
await kernel.start();
for (const creatorId of kernel.creators()) {
  const author = { id: '1', login: 'viewer', displayName: 'Viewer', roles: [] };
  kernel.bus.emit('chat.message', { id: `m-${creatorId}`, platform: 'twitch', creatorId, channel: creatorId, receivedAt: Date.now(), sentAt: Date.now(), author, text: '!hello', isAction: false });
}
await kernel.stop();
