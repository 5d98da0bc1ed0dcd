import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  actionJournalRef,
  busRef,
  chatFiltersExtensionPoint,
  chatPipelineRef,
  clockRef,
  cooldownBookRef,
  createServiceRef,
  creatorContextRef,
  definePlugin,
  defineRuntimeHooks,
  jobRegistryRef,
  kernelRef,
  leadershipRef,
  quotaDefaultsExtensionPoint,
  quotaRegistryRef,
  rateLimitGovernorRef,
  runtimeHooksExtensionPoint,
  secretsRef,
  stateStoreRef,
  type ChatMessage,
  type Logger,
} from '@streamsuites/kernel';
import { Redis } from 'ioredis';
import pkg from '../package.json' with { type: 'json' };
import { configSchema, type ScaleConfig } from './config.js';
import { RedisCooldownBook } from './cooldowns.js';
import { RedisActionJournal } from './journal.js';
import { EventBridge } from './event-bridge.js';
import { createRedisJobRegistry } from './jobs/registry.js';
import { RedisLeadership } from './leadership.js';
import { createRedisQuotaRegistry } from './quotas.js';
import { createRedisStateStore } from './state-store.js';
import { NotRunningHere } from './chat-stream.js';
import { createRedisRateLimitGovernor } from './ratelimits.js';
import { ScaleCoordinator } from './coordinator.js';

/** The shared client for commands (auto-pipelined: commands issued in one tick go in one round trip). */
const redisRef = createServiceRef<Redis>({ id: 'scale.redis', scope: 'root' });
const coordinatorRef = createServiceRef<ScaleCoordinator>({ id: 'scale.coordinator', scope: 'root' });

/** The process's name: configured, or `<hostname>:<pid>:<random>` (new on every start, so a restart never inherits stale pending work by name). */
export function processName(config: Pick<ScaleConfig, 'processId'>): string {
  return config.processId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

function connect(config: ScaleConfig, name: string, logger: Pick<Logger, 'warn'>, blockingMs = 0): Redis {
  const redis = new Redis(config.url, {
    enableAutoPipelining: true,
    // A command waits for one reconnect, then fails with a coded error: a Redis that is down must not stall
    // every caller (a boot reading state would take minutes), and the callers retry on their own schedule.
    maxRetriesPerRequest: 1,
    // A blocking read on a silently dropped link must end (and be retried); other commands have no client timeout,
    // since a stalled event loop would fire it on replies already received (lease keepers watch their own deadlines).
    ...(blockingMs > 0 ? { commandTimeout: blockingMs + 5000 } : {}),
    connectionName: name,
  });
  // ioredis prints every reconnect failure to stderr unless someone listens: log the first, then one a minute.
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLogged < 60_000) return;
    lastLogged = now;
    logger.warn({ err: error, connection: name }, 'Redis connection error (retrying)');
  });
  return redis;
}

/**
 * Scale a runtime out over Redis. Enable it in every process of a
 * deployment (same manifest, same `url` and `prefix`): each process runs the
 * creators whose lease it holds, chat goes through one Redis stream per
 * creator (run once, by the lease holder, even across a crash), and the
 * state store, cooldowns, quotas, rate limits and jobs of the defaults are
 * replaced by shared ones (so it does not combine with store-sqlite, which
 * provides state and jobs too). Exactly one process holds the `exports` duty.
 */
export const scalePlugin = definePlugin({
  id: 'scale',
  version: pkg.version,
  kernel: '^0.2.0',
  description: 'Scale out over Redis: creator leases, chat streams, shared limits and jobs, one exports writer',
  configSchema,
  // A replay runs on one machine's log: nothing to share.
  replay: 'skip',
  register(reg) {
    let name: string | undefined;
    const nameOf = (config: ScaleConfig) => (name ??= processName(config));

    reg.provide(redisRef, {
      deps: { secrets: secretsRef },
      factory: ({ secrets }, { config, logger }) => {
        registerUrlSecrets(config.url, (value) => secrets.add(value));
        return connect(config, nameOf(config), logger);
      },
      dispose: async (redis) => {
        await redis.quit().catch(() => redis.disconnect());
      },
    });
    // State follows a creator to whichever process runs it.
    reg.provide(stateStoreRef, {
      deps: { redis: redisRef },
      factory: ({ redis }, { config }) => createRedisStateStore({ redis, prefix: config.prefix }),
      dispose: (store) => store.close(),
    });
    reg.provide(cooldownBookRef, {
      deps: { redis: redisRef },
      factory: ({ redis }, { config }) => new RedisCooldownBook({ redis, prefix: config.prefix }),
    });
    // What a redelivered message's first run finished is not run again.
    reg.provide(actionJournalRef, {
      deps: { redis: redisRef },
      factory: ({ redis }, { config }) => new RedisActionJournal({ redis, prefix: config.prefix, ttlMs: config.chat.journalTtlMs }),
    });
    reg.provide(quotaRegistryRef, {
      deps: { redis: redisRef, bus: busRef, clock: clockRef },
      factory: ({ redis, bus, clock }, { config, extensions, logger }) =>
        createRedisQuotaRegistry({ redis, prefix: config.prefix, bus, clock, logger, defaults: extensions(quotaDefaultsExtensionPoint).map((c) => c.value) }),
      dispose: (registry) => registry.flush(),
    });
    reg.provide(rateLimitGovernorRef, {
      deps: { redis: redisRef, bus: busRef, clock: clockRef },
      factory: ({ redis, bus, clock }, { config, logger }) => createRedisRateLimitGovernor({ redis, prefix: config.prefix, bus, clock, logger }),
      dispose: (governor) => governor.dispose(),
    });
    reg.provide(jobRegistryRef, {
      deps: { redis: redisRef, bus: busRef, clock: clockRef, secrets: secretsRef },
      factory: ({ redis, bus, clock, secrets }, { config, logger }) =>
        createRedisJobRegistry({
          redis,
          prefix: config.prefix,
          owner: nameOf(config),
          bus,
          clock,
          logger,
          redact: (text) => secrets.redactString(text),
          leaseMs: config.jobs.leaseMs,
          concurrencyScope: config.jobs.concurrency,
        }),
      dispose: (registry) => registry.close(),
    });
    reg.provide(leadershipRef, {
      deps: { redis: redisRef },
      factory: ({ redis }, { config, logger }) => new RedisLeadership(redis, { owner: nameOf(config), ttlMs: config.leaseTtlMs, prefix: config.prefix, logger }),
      dispose: (leadership) => leadership.stop(),
    });
    reg.provide(coordinatorRef, {
      deps: { redis: redisRef, kernel: kernelRef, pipeline: chatPipelineRef, bus: busRef },
      factory: ({ redis, kernel, pipeline, bus }, { config, logger }) =>
        new ScaleCoordinator({
          config,
          owner: nameOf(config),
          redis,
          // Blocking reads need a connection of their own.
          reader: connect(config, `${nameOf(config)}:reader`, logger, config.chat.blockMs),
          kernel,
          bus,
          // Only a creator running here, actively, runs its chat: while it stops (or is a standby) the entry stays
          // pending; one whose creator stopped while it ran (its actions aborted) stays pending too.
          submit: async (message, options) => {
            // kernel.creator() is a map lookup (creators() would build an array per message).
            const context = kernel.state === 'running' && kernel.creator(message.creatorId) !== undefined ? kernel.resolveFor(message.creatorId, creatorContextRef) : undefined;
            if (context === undefined || context.standby || context.signal.aborted) throw new NotRunningHere(message.creatorId);
            await pipeline.submit(markFromStream(message), options);
            if (context.signal.aborted) throw new NotRunningHere(message.creatorId);
          },
          logger,
        }),
      dispose: (coordinator) => coordinator.close(),
    });

    // Chat reaches the triggers from the creator's stream only (once, on the lease holder): hold the local copy.
    reg.extend(chatFiltersExtensionPoint, {
      id: 'scale',
      hold: (message: ChatMessage) => (fromStream.has(message) ? undefined : 'runs from the Redis chat stream'),
    });
    reg.extend(
      runtimeHooksExtensionPoint,
      defineRuntimeHooks({
        deps: { coordinator: coordinatorRef },
        // Creators start when this process gets their lease, never at boot or on reload by themselves.
        placeCreators: ({ coordinator }, ids) => ids.filter((id) => coordinator.holds(id)),
      }),
    );

    let bridge: EventBridge | undefined;
    reg.onInit({
      deps: { coordinator: coordinatorRef, bus: busRef, redis: redisRef, leadership: leadershipRef },
      async init({ deps, logger, config }) {
        await deps.coordinator.connect();
        if (config.bridge.events.length > 0) {
          bridge = new EventBridge({
            redis: deps.redis,
            reader: connect(config, `${nameOf(config)}:bridge`, logger, config.chat.blockMs),
            bus: deps.bus,
            leadership: deps.leadership,
            process: nameOf(config),
            events: config.bridge.events,
            duty: config.bridge.duty,
            prefix: config.prefix,
            blockMs: config.chat.blockMs,
            claimIdleMs: Math.min(1000, Math.floor(config.leaseTtlMs / 2)),
            logger,
          });
        }
        // Held messages were published as they arrived; the coordinator's reader runs them.
        deps.bus.once('kernel.started', () => {
          bridge?.start();
          void deps.coordinator.start().catch((error: unknown) => logger.error({ err: error }, 'the scale coordinator did not start'));
        });
        logger.info({ process: deps.coordinator.owner }, 'scale-out on Redis ready');
      },
      async stop({ deps }) {
        await bridge?.stop();
        await deps.coordinator.close();
      },
    });
  },
});

/** Messages the coordinator submits from a stream: the only ones the filter lets through. */
const fromStream = new WeakSet<ChatMessage>();

/** Marks a message as coming from the stream (the coordinator's submit). */
export function markFromStream(message: ChatMessage): ChatMessage {
  fromStream.add(message);
  return message;
}

/** The password (and user) of a Redis URL become secrets: never in logs or errors. */
function registerUrlSecrets(url: string, add: (value: string) => void): void {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') {
      add(parsed.password);
      add(decodeURIComponent(parsed.password));
      add(url);
    }
  } catch {
    // The schema's pattern already refused what is not a URL.
  }
}
