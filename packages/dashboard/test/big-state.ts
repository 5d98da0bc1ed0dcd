// A busy state root for the browser tests, in the exports' shapes
// (packages/plugin-exports/FILES.md): 5 creators on three platforms in every
// connection state, 100 polls, 50 clips (the first ones with a real video and
// poster under runtime/media/clips/), 500 chat lines with the bot's replies,
// an hour of per-minute chat counts, quota samples since the day started,
// rate limits with long keys and an event timeline. Deterministic, except
// that times are relative to `now` so ages read as in a live runtime.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const BIG_CREATORS = ['daniel', 'maya', 'lunafox', 'pixelpete', 'kai'] as const;
const PLATFORMS: Record<(typeof BIG_CREATORS)[number], string[]> = {
  daniel: ['twitch', 'youtube'],
  maya: ['youtube'],
  lunafox: ['twitch', 'rumble'],
  pixelpete: ['twitch'],
  kai: ['youtube', 'rumble', 'twitch'],
};

export interface BigStateOptions {
  now: number;
  /** A small real mp4 and jpg: copied as the media of the first clips. */
  video?: string;
  poster?: string;
  /** How many clips get the media (default 6). */
  withMedia?: number;
}

export function writeBigState(root: string, options: BigStateOptions): void {
  const { now } = options;
  const iso = (ms: number) => new Date(ms).toISOString();
  const minute = 60_000;
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const write = (path: string, schema: string, visibility: string, body: object) => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ meta: { generatedAt: iso(now - 3000), schema, source: 'streamsuites-runtime', version: 1, visibility }, ...body }, null, 2)}\n`);
  };
  const states = [
    { status: 'running', connection: { attempt: 1, since: iso(now - 2 * 3_600_000), state: 'connected' }, live: true },
    { status: 'degraded', connection: { attempt: 4, since: iso(now - 3 * minute), state: 'reconnecting', reason: 'quotaExceeded' }, live: true },
    { status: 'offline', connection: { attempt: 1, since: iso(now - 40 * minute), state: 'offline', reason: 'the live chat ended' }, live: false },
    { status: 'auth-failed', connection: { attempt: 2, since: iso(now - 10 * minute), state: 'auth-failed', reason: 'token expired' }, live: false },
    { status: 'running', connection: { attempt: 1, since: iso(now - 30 * minute), state: 'connected' }, live: false },
  ];
  let which = 0;
  write('shared/state/runtime_snapshot.json', 'streamsuites.runtime_snapshot', 'dashboard-only', {
    creators: BIG_CREATORS.map((id) => ({
      id,
      platforms: PLATFORMS[id].map((platform) => {
        const state = states[which++ % states.length]!;
        return {
          connection: state.connection, errors: state.status === 'running' ? 0 : 3, lastMessageAt: iso(now - 20_000),
          live: state.live, ...(state.live ? { liveSince: iso(now - 95 * minute) } : {}),
          messages: 1000 + which * 37, messagesPerMinute: state.live ? 20 + which * 3 : 0, platform, status: state.status,
        };
      }),
    })),
    runtime: { startedAt: iso(now - 3 * 3_600_000), state: 'running', uptimeSec: 10_800 },
  });
  write('runtime/admin/creators.json', 'streamsuites.creators', 'dashboard-only', {
    creators: BIG_CREATORS.map((id) => ({ displayName: id === 'daniel' ? 'Daniel' : id === 'kai' ? 'Kai the Long-Named Streamer of Many Platforms' : id, dryRun: false, id, plugins: PLATFORMS[id] })),
  });

  const minuteStart = Math.floor(now / minute) * minute;
  write('shared/state/metrics.json', 'streamsuites.metrics', 'dashboard-only', {
    bucketMs: minute,
    chat: BIG_CREATORS.flatMap((creator, c) => PLATFORMS[creator].map((platform, p) => ({
      buckets: Array.from({ length: 60 }, (_, i) => ({ at: iso(minuteStart - (59 - i) * minute), messages: Math.round(10 + 8 * c + 6 * p + 10 * Math.sin((i + c * 7) / 6) + rand() * 6) })),
      creator, platform,
    }))),
    quota: ['daniel', 'maya', 'kai'].map((creator, c) => {
      const resetsAt = minuteStart + 7 * 3_600_000;
      const dayStart = resetsAt - 86_400_000;
      const samples = [];
      for (let t = dayStart, used = 0; t <= now; t += 5 * minute) {
        used += Math.round(6 + c * 4 + rand() * 8);
        samples.push({ at: iso(t), used });
      }
      return { creator, daily: 10_000, platform: 'youtube', resetsAt: iso(resetsAt), samples };
    }),
  });
  write('shared/state/quotas.json', 'streamsuites.quotas', 'dashboard-only', {
    quotas: ['daniel', 'maya', 'kai'].map((creatorId, c) => ({
      buffer: 500, creatorId, daily: 10_000, platform: 'youtube', remaining: 10_000 - (4000 + c * 2500), resetsAt: iso(Math.floor(now / minute) * minute + 7 * 3_600_000),
      status: c === 2 ? 'warning' : 'ok', used: 4000 + c * 2500,
    })),
  });
  write('runtime/admin/rate_limits.json', 'streamsuites.rate_limits', 'dashboard-only', {
    limits: [
      { available: 14, capacity: 20, key: 'twitch:chat:daniel', used: 6, waiting: 2, windowMs: 30_000 },
      { available: 19, capacity: 20, key: 'twitch:join', used: 1, waiting: 0, windowMs: 10_000 },
      { available: 2, capacity: 100, key: 'twitch:send:streamsuites_demo:mod:daniel', used: 98, waiting: 5, windowMs: 30_000 },
      { available: 15, capacity: 20, key: 'twitch:send:streamsuites_demo', used: 5, waiting: 0, windowMs: 30_000 },
      { available: 8, capacity: 10, key: 'youtube:send:maya', used: 2, waiting: 0, windowMs: 60_000 },
      { available: 0, capacity: 5, key: 'rumble:send:lunafox', used: 5, waiting: 1, windowMs: 60_000 },
    ],
  });

  const clipStates = ['published', 'ready', 'encoding', 'uploading', 'published'];
  const withMedia = options.withMedia ?? 6;
  write('runtime/exports/clips.json', 'streamsuites.clips', 'public', {
    clips: Array.from({ length: 50 }, (_, i) => {
      const creator = BIG_CREATORS[i % 5]!;
      const id = `clip-${String(i).padStart(3, '0')}`;
      const media = i < withMedia && options.video !== undefined;
      if (media) {
        mkdirSync(join(root, 'runtime/media/clips'), { recursive: true });
        copyFileSync(options.video!, join(root, `runtime/media/clips/${id}.mp4`));
        if (options.poster !== undefined) copyFileSync(options.poster, join(root, `runtime/media/clips/${id}.jpg`));
      }
      const state = clipStates[i % clipStates.length]!;
      return {
        createdAt: iso(now - i * 7 * minute), creator, durationSec: 30 + (i % 3) * 15, id, platform: PLATFORMS[creator][0],
        ...(media && options.poster !== undefined ? { poster: `runtime/media/clips/${id}.jpg` } : {}),
        ...(state === 'published' ? { publishedAt: iso(now - i * 7 * minute + minute), url: `https://clips.example.com/${id}` } : {}),
        state, title: i === 3 ? 'An extraordinarily long clip title that keeps going to test wrapping in the gallery tiles' : `Clip ${i + 1}: ${['triple kill', 'chat sings', 'boss down', 'clutch', 'raid'][i % 5]}`,
        ...(media ? { video: `runtime/media/clips/${id}.mp4` } : {}),
      };
    }),
  });
  write('runtime/exports/polls.json', 'streamsuites.polls', 'public', {
    polls: Array.from({ length: 100 }, (_, i) => {
      const creator = BIG_CREATORS[i % 5]!;
      const open = i < 5;
      return {
        ...(open ? {} : { closedAt: iso(now - i * 9 * minute + 2 * minute) }),
        creator, id: `poll-${i}`, openedAt: iso(now - i * 9 * minute),
        options: ['Yes', 'No', 'Maybe later, after the next match'].map((label, o) => ({ label, votes: Math.round(rand() * 80) + (o === 0 ? 5 : 0) })),
        question: i === 1 ? 'Which map next: the enormous sprawling desert canyon or the tiny cramped arctic base?' : `Poll ${i + 1}: play another round?`,
        status: open ? 'open' : 'closed',
      };
    }),
  });
  write('runtime/exports/tallies.json', 'streamsuites.tallies', 'public', {
    tallies: BIG_CREATORS.map((creator, c) => ({ counts: [{ count: 12 + c, label: 'deaths' }, { count: 4, label: 'wins' }], creator, id: `tally-${c}`, name: 'Today' })),
  });
  write('runtime/exports/scoreboards.json', 'streamsuites.scoreboards', 'public', {
    scoreboards: BIG_CREATORS.map((creator, c) => ({
      creator, entries: Array.from({ length: 12 }, (_, r) => ({ label: `viewer_${c}_${r}`, rank: r + 1, score: 500 - r * 30 })), id: `board-${c}`, name: 'Trivia',
    })),
  });
  write('shared/state/jobs.json', 'streamsuites.jobs', 'dashboard-only', {
    jobs: Array.from({ length: 30 }, (_, i) => ({
      attempts: 1 + (i % 3), createdAt: iso(now - i * minute * 3), creator: BIG_CREATORS[i % 5], id: `job-${i}`, maxAttempts: 3,
      state: ['succeeded', 'failed', 'running', 'queued', 'succeeded'][i % 5], type: ['clip.encode', 'clip.upload'][i % 2], updatedAt: iso(now - i * minute * 3 + 30_000),
      ...(i % 5 === 1 ? { error: 'SS_ERR_JOB_TIMEOUT: attempt timed out after 120 s while uploading to the destination' } : {}),
    })),
  });
  const roles = [[], ['subscriber'], ['moderator'], ['vip', 'subscriber'], ['broadcaster']];
  write('runtime/signals/chat_events.json', 'streamsuites.chat_events', 'dashboard-only', {
    events: Array.from({ length: 500 }, (_, i) => {
      const creator = BIG_CREATORS[i % 5]!;
      const platform = PLATFORMS[creator][i % PLATFORMS[creator].length]!;
      const bot = i % 17 === 0;
      return {
        at: iso(now - (500 - i) * 7000), author: { displayName: bot ? 'streamsuites_demo' : `viewer${i % 40}`, roles: bot ? ['moderator'] : roles[i % 5] },
        ...(bot ? { bot: true } : {}), creator, messageId: `m-${i}`, platform,
        text: bot ? `Clip saved: https://clips.example.com/clip-${i}` : i % 23 === 0 ? 'averyveryveryverylongwordwithoutanyspacesthatmustwrapinsidethechatcardwithoutoverflowingit' : `message ${i} from chat`,
      };
    }),
  });
  const kinds = [
    ['stream.online', 'went live'], ['platform.reconnecting', 'reconnecting: quotaExceeded'], ['platform.connected', 'connected'],
    ['platform.auth-failed', 'the token was refused; reconnect the account'], ['quota.warning', 'YouTube quota at 90% (9,000 of 10,000 units)'],
    ['clip.failed', 'clip clip-9 failed: SS_ERR_CLIPS_VERIFY_FAILED'], ['stream.offline', 'stream ended'],
  ] as const;
  write('runtime/signals/events.json', 'streamsuites.events', 'dashboard-only', {
    events: Array.from({ length: 120 }, (_, i) => {
      const creator = BIG_CREATORS[i % 5]!;
      const [kind, message] = kinds[i % kinds.length]!;
      return { at: iso(now - (120 - i) * 2 * minute), ...(kind === 'platform.reconnecting' && i % 2 === 0 ? { count: 3 } : {}), creator, kind, message, platform: PLATFORMS[creator][0] };
    }),
  });
}
