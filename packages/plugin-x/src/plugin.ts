import { busRef, clockRef, definePlugin, jobRegistryRef, kernelRef, postingRuleFor, secretsRef, stateStoreRef, type StreamStatus } from '@streamsuites/kernel';
import pkg from '../package.json' with { type: 'json' };
import { XApi } from './api/client.js';
import { parseSecretKey, SECRET_KEY_ENV } from './auth/secret-box.js';
import { AccountSession } from './auth/session.js';
import { configSchema, creatorConfigSchema, type XCreatorConfig } from './config.js';
import { SS_ERR_X_CONFIG } from './errors.js';
import { XPoster, type XPostRecord } from './poster.js';

/** Events of other plugins, read by name (no import of their code). */
type AnyListener = (name: string, listener: (event: any) => void) => () => void;

export interface XPluginOptions {
  /** Where the encryption key is read when `plugins.x.config.secretKey` is absent (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Told about every post that reached a final state (tests, the demo's summary). */
  onPosted?(record: XPostRecord): void;
}

/**
 * X posting for every creator that enables it: go-live, stream end and
 * published clip posts, decided by postingRules (else the creator's
 * `events`), deduplicated per stream across restarts, posted by `x.post`
 * jobs with the account's OAuth 2.0 tokens (refreshed and rotated, stored
 * encrypted).
 */
export function createXPlugin(options: XPluginOptions = {}) {
  return definePlugin({
    id: 'x',
    version: pkg.version,
    kernel: '^0.2.0',
    description: 'X (Twitter) posts of go-lives and clips through the X API v2',
    replay: 'skip', // a replay must not post
    configSchema,
    creatorConfigSchema,
    register(reg) {
      const creators = new Map<string, XCreatorConfig>();
      const cleanup: (() => unknown)[] = [];
      let poster: XPoster | undefined;
      let creatorsSession: ((account: string) => AccountSession) | undefined;

      reg.onInit({
        deps: { bus: busRef, clock: clockRef, kernel: kernelRef, jobs: jobRegistryRef, store: stateStoreRef, secrets: secretsRef },
        async init({ config, deps, logger }) {
          const rawKey = config.secretKey ?? (options.env ?? process.env)[SECRET_KEY_ENV];
          deps.secrets.add(rawKey);
          deps.secrets.add(config.clientSecret);
          const key = parseSecretKey(rawKey);
          for (const [name, url] of [['apiUrl', config.apiUrl], ['authorizeUrl', config.authorizeUrl]] as const) {
            if (!/^https?:\/\/[^/]/.test(url)) throw new SS_ERR_X_CONFIG(`${name} must be an http(s) URL, not "${deps.secrets.redactString(url)}"`);
          }
          const now = () => deps.clock.now();
          const api = new XApi({ apiUrl: config.apiUrl, userAgent: `StreamSuites/${pkg.version}` });
          const sessions = new Map<string, AccountSession>();
          const session = (account: string) => {
            let s = sessions.get(account);
            if (s === undefined) {
              s = new AccountSession({ account, store: deps.store, key, apiUrl: config.apiUrl, clientId: config.clientId, clientSecret: config.clientSecret, secrets: deps.secrets, logger, now });
              sessions.set(account, s);
            }
            return s;
          };
          const p = new XPoster({
            store: deps.store,
            jobs: deps.jobs,
            api,
            config,
            logger,
            secrets: deps.secrets,
            now,
            session,
            settings: (creatorId) => creators.get(creatorId),
            // postingRules (the creator's, else the top-level ones), read at each event: a reload applies to the next post.
            rule: (creatorId, event) => postingRuleFor(deps.kernel.creator(creatorId), deps.kernel.manifest, event, 'x'),
            ...(options.onPosted === undefined ? {} : { posted: options.onPosted }),
          });
          poster = p;
          creatorsSession = session;
          cleanup.push(p.register());
          const recovered = await p.recover();
          if (recovered.length > 0) logger.info({ posts: recovered.length }, 'X posts of a previous run queued again');
          const on = deps.bus.on.bind(deps.bus) as unknown as AnyListener;
          // A hot standby's copy of a go-live is not ours to post: the active process posts it.
          const active = (e: StreamStatus) => !deps.kernel.isStandby(e.creatorId);
          cleanup.push(
            deps.bus.on('stream.online', (e: StreamStatus) => void (active(e) && p.online(e))),
            deps.bus.on('stream.offline', (e: StreamStatus) => void (active(e) && p.offline(e))),
            on('clip.state', (e) => void (e.state === 'published' && p.clip({ creatorId: e.creatorId, clipId: e.clipId, platform: e.platform, url: e.url }))),
          );
        },
        async start({ creator, creatorConfig }) {
          // The account's tokens must be there and open with this key: a creator that cannot post says so at start.
          if (creatorConfig.enabled) await creatorsSession!(creatorConfig.account).tokens(creator.id);
          creators.set(creator.id, creatorConfig);
          return () => void creators.delete(creator.id);
        },
        async stop() {
          for (const off of cleanup.splice(0)) off();
          await poster?.idle();
        },
      });
    },
  });
}

/** The plugin with the default options (key from process.env). */
export const xPlugin = createXPlugin();
