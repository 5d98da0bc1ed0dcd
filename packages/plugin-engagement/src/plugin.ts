import {
  actionDispatcherRef,
  actionTypesExtensionPoint,
  busRef,
  clockRef,
  definePlugin,
  exportsExtensionPoint,
  identityMapRef,
  stateStoreRef,
  triggerRegistryRef,
} from '@streamsuites/kernel';
import pkg from '../package.json' with { type: 'json' };
import { engagementActionTypes, registerActionHandlers } from './actions.js';
import { triggerProblems } from './checks.js';
import { configSchema, creatorConfigSchema } from './config.js';
import { Engagement, engagementRef } from './engagement.js';
import { SS_ERR_ENGAGEMENT_UNKNOWN_SCOREBOARD, SS_ERR_ENGAGEMENT_UNKNOWN_TALLY } from './errors.js';
import { engagementSections } from './exports.js';
import './events.js';

/**
 * Polls, tallies and scoreboards for every creator that enables the plugin:
 * four action types for triggers (`poll.open`, `poll.close`, `tally.add`,
 * `score.add`), chat votes while a poll is open, state in the kernel state
 * store, and the six engagement files of the exports surface.
 */
export const engagementPlugin = definePlugin({
  id: 'engagement',
  version: pkg.version,
  kernel: '^0.2.0',
  // Optional: with exports loaded, it initialises first and writes its last files after our beforeStop.
  dependencies: ['exports?'],
  description: 'Chat polls, tallies and scoreboards',
  configSchema,
  creatorConfigSchema,
  register(reg) {
    reg.provide(engagementRef, {
      // The identity map (a kernel contract the defaults always provide): a viewer linked across platforms votes once.
      deps: { bus: busRef, clock: clockRef, store: stateStoreRef, identity: identityMapRef },
      factory: ({ bus, clock, store, identity }, ctx) => new Engagement({ bus, clock, store, identity, logger: ctx.logger, signalsWindow: ctx.config.signalsWindow }),
      dispose: (engagement) => engagement.dispose(),
    });
    for (const type of engagementActionTypes) reg.extend(actionTypesExtensionPoint, type);
    for (const section of engagementSections) reg.extend(exportsExtensionPoint, section);

    let off: (() => void)[] = [];
    reg.onInit({
      deps: { engagement: engagementRef, actions: actionDispatcherRef },
      init({ deps }) {
        off = [registerActionHandlers(deps.actions, deps.engagement), deps.engagement.listen()];
      },
      async start({ creator, creatorConfig, deps, logger, resolve }) {
        const detach = await deps.engagement.attach(creator.id, creatorConfig, logger);
        for (const problem of triggerProblems(resolve(triggerRegistryRef).list(), creatorConfig)) {
          const code = problem.includes('unknown tally') ? SS_ERR_ENGAGEMENT_UNKNOWN_TALLY.code : SS_ERR_ENGAGEMENT_UNKNOWN_SCOREBOARD.code;
          logger.warn({ code }, `${problem}: it will fail each time it fires`);
        }
        return detach;
      },
      // Polls due by the kernel clock are closed (a replay may end before a real timer fires), and
      // every change is in the state store, before the exports plugin writes its last files.
      async beforeStop({ deps }) {
        deps.engagement.tick();
        await deps.engagement.settled();
      },
      stop() {
        for (const unsubscribe of off.splice(0)) unsubscribe();
      },
    });
  },
});
