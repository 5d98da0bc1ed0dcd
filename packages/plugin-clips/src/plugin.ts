import { dirname, join } from 'node:path';
import {
  actionDispatcherRef,
  actionTypesExtensionPoint,
  busRef,
  clockRef,
  definePlugin,
  exportsExtensionPoint,
  jobRegistryRef,
  secretsRef,
  streamSourcesExtensionPoint,
  Type,
  type ChatMessage,
  type Logger,
  type Platform,
  type StreamSource,
} from '@streamsuites/kernel';
import pkg from '../package.json' with { type: 'json' };
import { configSchema, creatorConfigSchema, type ClipsCreatorConfig } from './config.js';
import { resolveDestination } from './destinations.js';
import { SS_ERR_CLIP_NOT_LIVE } from './errors.js';
import { clipSections } from './exports.js';
import { ClipJobs, ClipsDatabase, publicClipUrl } from './jobs.js';
import { CreatorCapture, type CreatorCaptureOptions } from './capture/creator-capture.js';
import { CaptureSupervisor, FfmpegEncoder, PLAYLIST_NAME, redactMediaText } from './media.js';
import type { ClipDestination, CutMode } from './types.js';
import type { ClipStateEvent } from './events.js';

const ClipCreateParams = Type.Object(
  {
    /** The last N seconds (clamped to the buffer, with a warning). */
    seconds: Type.Integer({ minimum: 1, maximum: 600, default: 30 }),
    title: Type.Optional(Type.String({ maxLength: 300 })),
    requestedBy: Type.Optional(Type.String({ maxLength: 100 })),
    mode: Type.Optional(Type.Union([Type.Literal('copy'), Type.Literal('reencode')])),
  },
  { additionalProperties: false },
);

interface CreatorClips {
  config: ClipsCreatorConfig;
  destination: ClipDestination;
  bufferDir: string;
  /** Which platform's stream is captured, and a new supervisor per live session. */
  capture: CreatorCapture;
}

/**
 * Clips: per live creator a supervised ffmpeg keeps an HLS ring buffer;
 * `clip.create` (e.g. from `!clip 30 what a play`) records a clip and
 * enqueues its `clips.encode` job on the kernel's job registry, which cuts
 * the last N seconds by stream copy (on an ffmpeg started ahead while a
 * capture runs) and verifies the mp4 in-process; then a
 * `clips.upload` job publishes it to the creator's destination; `clip.state` on every change,
 * a chat reply with the link when published, and the clips export files.
 */
export const clipsPlugin = definePlugin({
  id: 'clips',
  version: pkg.version,
  kernel: '^0.2.0',
  description: '!clip to a cut, verified and published clip: ring-buffer capture, stream-copy cuts, durable jobs',
  configSchema,
  creatorConfigSchema,
  replay: 'skip', // a replay has no live stream to cut
  register(reg) {
    let jobs: ClipJobs | undefined;
    let db: ClipsDatabase | undefined;
    let encoder: FfmpegEncoder | undefined;
    /** Relative local destination folders are resolved against the manifest's dataDir (as exports' root is). */
    let baseDir: string | undefined;
    let log: Logger | undefined;
    const creators = new Map<string, CreatorClips>();
    /** The chat message each clip was asked for in (for the reply); in memory only. */
    const askedIn = new Map<string, ChatMessage>();
    /** Platform plugins' stream sources, by platform (read in init). */
    const sources = new Map<Platform, StreamSource>();
    let offBus: (() => void)[] = [];

    reg.extend(actionTypesExtensionPoint, {
      type: 'clip.create',
      paramsSchema: ClipCreateParams,
      description: 'Cut the last N seconds of the live stream and publish the clip.',
    });
    for (const section of clipSections(() => jobs, { logger: () => log })) reg.extend(exportsExtensionPoint, section);

    reg.onInit({
      deps: { bus: busRef, clock: clockRef, actions: actionDispatcherRef, secrets: secretsRef, jobs: jobRegistryRef },
      async init({ config, deps, dataDir, logger, extensions }) {
        log = logger;
        for (const { pluginId, value } of extensions(streamSourcesExtensionPoint)) {
          if (sources.has(value.platform)) logger.warn({ platform: value.platform, plugin: pluginId }, 'a second stream source for this platform: ignored');
          else sources.set(value.platform, value);
        }
        if (sources.size > 0) logger.info({ platforms: [...sources.keys()] }, 'stream sources');
        encoder = new FfmpegEncoder({
          ...(config.ffmpegPath === undefined ? {} : { ffmpegPath: config.ffmpegPath }),
          ...(config.ffprobePath === undefined ? {} : { ffprobePath: config.ffprobePath }),
          maxClipSec: config.maxClipSec,
          redact: (text) => deps.secrets.redactString(text),
          // The next copy cut's ffmpeg waits, started, so a !clip skips ffmpeg's start-up.
          prestart: true,
        });
        // No ffmpeg: a coded error with an install hint, and the other plugins run on.
        logger.info({ ffmpeg: await encoder.version() }, 'ffmpeg found');
        db = ClipsDatabase.open({ dataDir, logger });
        baseDir = dataDir;
        const fallback = resolveDestination(undefined, { ...config.destinations, log: logger, baseDir: dataDir });
        jobs = new ClipJobs({
          db,
          registry: deps.jobs,
          encoder,
          clock: deps.clock,
          logger,
          concurrency: config.concurrency,
          perCreatorConcurrency: config.perCreatorConcurrency,
          maxSeconds: config.maxClipSec,
          retention: {
            ...(config.retention.maxAgeDays > 0 ? { maxAgeDays: config.retention.maxAgeDays } : {}),
            ...(config.retention.maxTotalGb > 0 ? { maxTotalBytes: Math.round(config.retention.maxTotalGb * 1024 ** 3) } : {}),
          },
          source: (clip) => {
            const creator = creators.get(clip.creatorId);
            if (creator?.capture.running !== true) return undefined;
            return { playlist: join(creator.bufferDir, PLAYLIST_NAME), offsetSec: config.latencyOffsetSec[clip.platform] ?? 0, endAt: clip.createdAt };
          },
          destinations: (clip) => creators.get(clip.creatorId)?.destination ?? fallback,
          onState: (clip, from, to, reason) => {
            const event: ClipStateEvent = {
              clipId: clip.id,
              creatorId: clip.creatorId,
              platform: clip.platform,
              state: to,
              previous: from,
              reason,
              ...(clip.url === null ? {} : { url: clip.url }),
              at: deps.clock.now(),
            };
            deps.bus.emit('clip.state', event);
            if (to === 'published' || to === 'failed') {
              const message = askedIn.get(clip.id);
              askedIn.delete(clip.id);
              const creator = creators.get(clip.creatorId);
              if (to === 'published' && message !== undefined && creator?.config.replyWhenPublished) {
                // Chat is public: {url} is the public URL, or the clip's id when the destination has none (never a local path).
                const url = publicClipUrl(clip.url) ?? clip.id;
                const text = creator.config.replyText.replaceAll('{url}', url).replaceAll('{title}', clip.title).replaceAll('{id}', clip.id);
                void deps.actions.dispatch({ type: 'chat.reply', params: { text } }, { creatorId: clip.creatorId, message, triggerId: 'clips.published' });
              }
            }
          },
        });
        const recovered = await jobs.start();
        logger.info(recovered, 'clip jobs ready');

        deps.actions.registerHandler<{ seconds: number; title?: string; requestedBy?: string; mode?: CutMode }>({
          type: 'clip.create',
          timeoutMs: 5000,
          handle(params, ctx) {
            const creator = creators.get(ctx.creatorId);
            if (creator?.capture.running !== true) throw new SS_ERR_CLIP_NOT_LIVE(ctx.creatorId, creator?.capture.notLiveReason());
            let seconds = params.seconds;
            if (seconds > config.maxClipSec) {
              logger.warn({ creator: ctx.creatorId, asked: seconds, max: config.maxClipSec }, 'clip longer than the buffer: shortened');
              seconds = config.maxClipSec;
            }
            const message = ctx.message;
            const clip = jobs!.create({
              creatorId: ctx.creatorId,
              platform: message?.platform ?? 'unknown',
              seconds,
              mode: params.mode ?? config.mode,
              ...(params.title === undefined || params.title.trim() === '' ? {} : { title: params.title }),
              ...(params.requestedBy === undefined ? { ...(message === undefined ? {} : { requestedBy: message.author.displayName }) } : { requestedBy: params.requestedBy }),
              ...(message === undefined ? {} : { requestKey: `${message.platform}:${message.id}` }),
            });
            if (message !== undefined) askedIn.set(clip.id, message);
            return clip.id;
          },
        });

        offBus = [
          deps.bus.on('stream.online', ({ creatorId, platform }) => creators.get(creatorId)?.capture.online(platform)),
          deps.bus.on('stream.offline', ({ creatorId, platform }) => creators.get(creatorId)?.capture.offline(platform)),
        ];
      },
      start({ creator, config, creatorConfig, deps, logger }) {
        const rule = creatorConfig.destination;
        if (rule?.kind === 'http') for (const value of Object.values(rule.options.headers ?? {})) deps.secrets.add(value);
        const bufferDir = join(dirname(db!.file), 'clips', 'buffer', creator.id);
        const capture = creatorConfig.capture;
        const newSupervisor: CreatorCaptureOptions['newSupervisor'] = (input, onStatus) =>
          new CaptureSupervisor({
            creatorId: creator.id,
            dir: bufferDir,
            input,
            codecs: capture?.codecs ?? 'auto',
            maxClipSec: config.maxClipSec,
            segmentSec: config.segmentSec,
            ...(config.ffmpegPath === undefined ? {} : { ffmpegPath: config.ffmpegPath }),
            ...(config.ffprobePath === undefined ? {} : { ffprobePath: config.ffprobePath }),
            redact: (text) => deps.secrets.redactString(text),
            onStatus: (event) => {
              onStatus(event);
              // Something to clip from: have the ffmpeg for the first cut started (a no-op when one waits).
              if (event.status === 'running' && jobs) void encoder?.prepare(jobs.outputDir);
              const level = event.status === 'restarting' ? 'warn' : 'info';
              logger[level]({ status: event.status, attempt: event.attempt, reason: event.reason, delayMs: event.delayMs }, `clip capture ${event.status}`);
            },
          });
        const entry: CreatorClips = {
          config: creatorConfig,
          destination: resolveDestination(rule, { ...config.destinations, log: logger, baseDir }),
          bufferDir,
          capture: new CreatorCapture({
            creatorId: creator.id,
            config: capture,
            sources,
            newSupervisor,
            addSecret: (value) => deps.secrets.add(value),
            redact: (text) => redactMediaText(deps.secrets.redactString(text)),
            onResolved: ({ platform, via }) => logger.info({ platform, via }, 'clip capture input resolved'),
          }),
        };
        creators.set(creator.id, entry);
        entry.capture.creatorStarted();
        return async () => {
          creators.delete(creator.id);
          await entry.capture.stop();
        };
      },
      async stop() {
        for (const off of offBus) off();
        await jobs?.stop();
        await encoder?.close();
        db?.close();
      },
    });
  },
});
