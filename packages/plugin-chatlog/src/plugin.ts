import { join, resolve } from 'node:path';
import { busRef, clockRef, definePlugin, secretsRef, type Logger } from '@streamsuites/kernel';
import pkg from '../package.json' with { type: 'json' };
import { configSchema, creatorConfigSchema } from './config.js';
import { SS_ERR_CHATLOG_NO_SALT } from './errors.js';
import { isSafeSegment, type ChatLogEntry } from './format.js';
import { hashUserIds } from './hash.js';
import { pruneChatLogs } from './retention.js';
import { ChatLogWriter } from './writer.js';

const PRUNE_EVERY_MS = 6 * 3_600_000;

/**
 * Chat logging: every normalized chat event of the creators that enable the
 * plugin, appended to `<dataDir>/<dir>/<creator>/<YYYY-MM-DD>.jsonl`. The bus
 * listener only queues a reference; serialization, hashing, redaction and
 * the disk happen on a timer, so logging never slows the chat pipeline and a
 * failing disk never stops it. `streamsuites replay` reads the files back.
 */
export const chatLogPlugin = definePlugin({
  id: 'chatlog',
  version: pkg.version,
  kernel: '^0.2.0',
  description: 'Append-only JSONL chat logs per creator per day, for replay and analysis',
  configSchema,
  creatorConfigSchema,
  replay: 'skip', // a replay must not log the events it replays
  register(reg) {
    const writers = new Map<string, ChatLogWriter>();
    let offTap: (() => void) | undefined;
    let flushTimer: NodeJS.Timeout | undefined;
    let pruneTimer: NodeJS.Timeout | undefined;
    let root = '';
    const flushAll = () => Promise.all([...writers.values()].map((w) => w.flush()));

    reg.onInit({
      deps: { bus: busRef, clock: clockRef, secrets: secretsRef },
      init({ config, deps, dataDir, logger }) {
        root = resolve(dataDir, config.dir);
        // The salt is a secret even when written into the manifest as is (its key does not look like one).
        if (config.hashSalt !== undefined) deps.secrets.add(config.hashSalt);
        const events = new Set(config.events);
        offTap = deps.bus.onAny((event, payload) => {
          if (!events.has(event)) return;
          const creatorId = (payload as { creatorId?: unknown } | null)?.creatorId;
          if (typeof creatorId !== 'string') return;
          const writer = writers.get(creatorId);
          if (writer === undefined) return;
          if (!writer.push({ at: deps.clock.now(), event, data: payload as Record<string, unknown> }) && writer.stats.dropped % 1000 === 1) {
            logger.warn({ creator: creatorId, dropped: writer.stats.dropped }, 'chat log buffer full: events dropped (is the disk slow or full?)');
          }
        });
        flushTimer = setInterval(() => void flushAll(), config.flushIntervalMs);
        flushTimer.unref();
        pruneTimer = setInterval(() => {
          for (const id of writers.keys()) void prune(join(root, id), config.retentionDays, deps.clock.now(), logger);
        }, PRUNE_EVERY_MS);
        pruneTimer.unref();
        logger.info({ dir: root, events: events.size }, 'chat logging ready');
      },
      async start({ creator, config, creatorConfig, deps, logger }) {
        if (!isSafeSegment(creator.id)) throw new Error(`creator id "${creator.id}" cannot be a folder name`);
        const salt = config.hashSalt;
        if (creatorConfig.hashUserIds && salt === undefined) throw new SS_ERR_CHATLOG_NO_SALT(creator.id);
        const dir = join(root, creator.id);
        await prune(dir, config.retentionDays, deps.clock.now(), logger);
        const serialize = (entry: ChatLogEntry): string => {
          const data = creatorConfig.hashUserIds ? hashUserIds(entry.data, salt!) : entry.data;
          // Known secret values, keyed URLs and tokens never reach the disk.
          return deps.secrets.redactString(JSON.stringify({ at: entry.at, event: entry.event, data }));
        };
        const writer = new ChatLogWriter({
          dir,
          creator: creator.id,
          maxBufferedEvents: config.maxBufferedEvents,
          maxFileBytes: config.maxFileBytes,
          serialize,
          logger,
        });
        writers.set(creator.id, writer);
        return async () => {
          writers.delete(creator.id);
          await writer.close();
          const { written, dropped } = writer.stats;
          logger.info({ written, dropped }, 'chat log closed');
        };
      },
      // Everything seen before shutdown reaches the disk while creators are still there.
      async beforeStop() {
        await flushAll();
      },
      stop() {
        offTap?.();
        clearInterval(flushTimer);
        clearInterval(pruneTimer);
      },
    });
  },
});

async function prune(dir: string, retentionDays: number, now: number, logger: Logger): Promise<void> {
  try {
    const removed = await pruneChatLogs(dir, retentionDays, now);
    if (removed.length > 0) logger.info({ removed }, 'old chat logs deleted');
  } catch (error) {
    logger.warn({ err: error }, 'could not prune old chat logs');
  }
}
