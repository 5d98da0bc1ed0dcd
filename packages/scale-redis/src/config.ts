import { Type, type Static } from '@streamsuites/kernel';

/** `plugins.scale.config` in the manifest. */
export const configSchema = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      pattern: '^rediss?://',
      default: 'redis://127.0.0.1:6379',
      description: 'The Redis (7+) or Valkey server every process of the deployment shares: `redis://[user:password@]host:port[/db]`, `rediss://` for TLS. Keep a password out of the file: `${env:REDIS_URL}`.',
    }),
    prefix: Type.String({
      minLength: 1,
      maxLength: 64,
      default: 'streamsuites:',
      description: 'Prefix of every key; processes with the same prefix form one deployment (two deployments may share a Redis with different prefixes).',
    }),
    processId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        pattern: '^[A-Za-z0-9._:@-]+$',
        description: 'This process\'s name in leases, consumer groups and logs. Default `<hostname>:<pid>:<random>`, new on every start.',
      }),
    ),
    leaseTtlMs: Type.Integer({
      minimum: 300,
      maximum: 600_000,
      default: 15_000,
      description: 'How long a creator lease (and a duty such as writing the exports) lasts without renewal; renewed every third of it. A dead process\'s creators move to the others within about this long.',
    }),
    settleMs: Type.Integer({
      minimum: 0,
      maximum: 60_000,
      default: 1000,
      description: 'After announcing itself, how long a starting process waits before taking creators, so processes started together share them at once instead of one taking all and giving most back.',
    }),
    standby: Type.Boolean({
      default: true,
      description:
        'Also keep a fair share of the other processes\' creators connected as hot standbys (their chat published, nothing acted on), so a process that dies loses no chat: the standby takes over without reconnecting. Doubles the connections of platforms read live (Twitch; a YouTube standby reads nothing until promoted, then resumes from the saved position); false saves them, and Twitch chat said while a creator is between owners is missed.',
    }),
    chat: Type.Object(
      {
        maxLen: Type.Integer({ minimum: 100, default: 10_000, description: 'Chat messages kept per creator stream (approximately); older ones are trimmed.' }),
        dedupeTtlMs: Type.Integer({ minimum: 1000, default: 600_000, description: 'How long a message id is remembered, so a message received twice (a reconnect, two receivers) is run once.' }),
        blockMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000, description: 'Longest blocking read of the chat streams.' }),
        journalTtlMs: Type.Integer({
          minimum: 60_000,
          default: 3_600_000,
          description: 'How long the actions a message ran are remembered, so the message redelivered after a crash does not run them again. A message left pending longer (every process down that long) may repeat its actions.',
        }),
      },
      { default: {}, additionalProperties: false, description: 'The chat streams: every received message goes through Redis and is run by the process holding the creator\'s lease.' },
    ),
    bridge: Type.Object(
      {
        events: Type.Array(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' }), {
          default: [],
          uniqueItems: true,
          description: 'Bus events (by name, such as `clip.created` or `action.failed`) every process publishes to Redis, so the holder of `duty` sees the whole deployment\'s on its bus, once each. Payloads travel as JSON.',
        }),
        duty: Type.String({
          minLength: 1,
          maxLength: 64,
          pattern: '^[A-Za-z0-9._:-]+$',
          default: 'exports',
          description: 'The duty whose holder receives the bridged events (one process at a time; `exports` is the exports writer\'s).',
        }),
      },
      { default: {}, additionalProperties: false, description: 'The bus bridge: chosen events of every process reach one process (the holder of a duty) through a Redis stream.' },
    ),
    jobs: Type.Object(
      {
        leaseMs: Type.Integer({ minimum: 100, default: 30_000, description: 'How long a running job stays its process\'s without renewal; a job of a dead process is taken over after about this long.' }),
        concurrency: Type.Union([Type.Literal('cluster'), Type.Literal('process')], {
          default: 'cluster',
          description: 'What a job handler\'s `concurrency` counts: jobs running in every process (`cluster`) or in this one (`process`, so capacity grows with processes).',
        }),
      },
      { default: {}, additionalProperties: false, description: 'The shared job queue (clip jobs and any other).' },
    ),
  },
  { additionalProperties: false, description: 'Scale out over Redis: creators spread over processes by lease, chat through Redis Streams, shared cooldowns, quotas, rate limits and jobs, one exports writer.' },
);

export type ScaleConfig = Static<typeof configSchema>;
