// One runtime process of the throughput benchmark: the scale plugin on the manifest file SS_MANIFEST_FILE,
// plus a sink answering chat.reply for twitch (the benchmark measures the runtime, not a socket).
import { withDefaults } from '@streamsuites/defaults';
import { actionDispatcherRef, createKernel, definePlugin } from '@streamsuites/kernel';
import { Redis } from 'ioredis';
import { scalePlugin } from '../src/index.js';

const sink = definePlugin({
  id: 'sink',
  version: '1.0.0',
  kernel: '^0.2.0',
  register(reg) {
    reg.onInit({
      deps: { actions: actionDispatcherRef },
      init({ deps }) {
        deps.actions.registerHandler({ type: 'chat.reply', platform: 'twitch', handle: () => undefined });
      },
    });
  },
});

// The manifest file's path (too large for an environment variable).
const manifest = process.env.SS_MANIFEST_FILE ?? '';
const kernel = await createKernel(withDefaults({ manifest, plugins: [scalePlugin, sink], env: process.env, logLevel: 'warn' }));
kernel.handleSignals();
// Built and waiting: the benchmark fills the streams, then lets every worker start at once.
process.stdout.write('ready\n');
const gate = new Redis(process.env.SS_REDIS_URL ?? '');
while ((await gate.get(process.env.SS_GO_KEY ?? '')) === null) await new Promise((resolve) => setTimeout(resolve, 10));
gate.disconnect();
await kernel.start();
