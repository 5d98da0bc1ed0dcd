import { busRef, clockRef, definePlugin, Type } from '@streamsuites/kernel';

declare module '@streamsuites/kernel' {
  interface StreamSuitesEvents {
    /** One beat of a creator's heartbeat. */
    'demo.heartbeat': { creatorId: string; beat: number; mood: string; at: number };
  }
}

/**
 * The demo's first plugin: a per-creator heartbeat on the bus. It shows the
 * plugin contract end to end: typed config with defaults, root services
 * (bus, clock), a per-creator start that returns its own stop.
 */
export const heartbeatPlugin = definePlugin({
  id: 'heartbeat',
  version: '0.1.0',
  kernel: '^0.2.0',
  description: 'Emits demo.heartbeat for every creator on an interval.',
  configSchema: Type.Object(
    { intervalMs: Type.Integer({ minimum: 50, maximum: 60_000, default: 1000 }) },
    { additionalProperties: false },
  ),
  creatorConfigSchema: Type.Object({ mood: Type.String({ minLength: 1, default: 'steady' }) }, { additionalProperties: false }),
  register(reg) {
    reg.onInit({
      deps: { bus: busRef, clock: clockRef },
      start({ creator, config, creatorConfig, deps }) {
        let beat = 0;
        const timer = setInterval(() => {
          beat += 1;
          deps.bus.emit('demo.heartbeat', { creatorId: creator.id, beat, mood: creatorConfig.mood, at: deps.clock.now() });
        }, config.intervalMs);
        return () => clearInterval(timer);
      },
    });
  },
});

/** For manifests: `"heartbeat": { "package": "@streamsuites/example-demo/heartbeat" }`. */
export default heartbeatPlugin;
