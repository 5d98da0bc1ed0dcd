import {
  actionDispatcherRef,
  busRef,
  chatFiltersExtensionPoint,
  clockRef,
  createServiceRef,
  defineManifestSection,
  definePlugin,
  defineRuntimeHooks,
  identityMapRef,
  kernelRef,
  loggerRef,
  manifestSectionsExtensionPoint,
  runtimeHooksExtensionPoint,
  stateStoreRef,
  type ActionDescriptor,
  type ActionDispatcher,
  type ManifestIssue,
  type ResolvedCreator,
} from '@streamsuites/kernel';
import { DEFAULTS_VERSION, KERNEL_RANGE } from '../../version.js';
import { compileChatBehaviour } from './compile.js';
import { chatRuleConflicts } from './conflicts.js';
import { ChatRulesEngine, type CreatorRules } from './engine.js';
import { compileMonetization } from './money.js';
import { ChatBehaviourSchema, MonetizationSchema, type Monetization } from './schema.js';

/** `creators.<id>.chatBehaviour`: greeting, auto-replies, banned phrases, per-person rate limit. */
export const chatBehaviourSection = defineManifestSection({
  key: 'chatBehaviour',
  scope: 'creator',
  schema: ChatBehaviourSchema,
  check: (value, path) => compileChatBehaviour(value, path).issues,
});

/** `creators.<id>.monetization`: bits, Super Chats, Super Stickers, rants... mapped to actions by amount. */
export const monetizationSection = defineManifestSection({
  key: 'monetization',
  scope: 'creator',
  schema: MonetizationSchema,
  check: (value, path) => compileMonetization(value, path).issues,
});

/** Top-level `monetization`: the default of every creator without its own (a creator's section replaces it whole). */
export const manifestMonetizationSection = defineManifestSection({
  key: 'monetization',
  scope: 'manifest',
  schema: MonetizationSchema,
  check: (value, path) => compileMonetization(value, path).issues,
});

const chatRulesEngineRef = createServiceRef<ChatRulesEngine>({ id: 'chatRules.engine' });

/** The kernel dispatcher lists every problem of an action; a replacement may only throw its first. */
function actionIssues(dispatcher: ActionDispatcher, action: Omit<ActionDescriptor, 'params'> & { params?: Record<string, unknown> }, path: (string | number)[]): ManifestIssue[] {
  const withIssues = dispatcher as ActionDispatcher & { issues?: (a: ActionDescriptor, p: (string | number)[]) => ManifestIssue[] };
  if (typeof withIssues.issues === 'function') return withIssues.issues({ ...action, params: action.params ?? {} }, path);
  try {
    dispatcher.validate({ ...action, params: action.params ?? {} });
    return [];
  } catch (error) {
    return [{ code: (error as { code?: string }).code ?? 'SS_ERR_ACTION_PARAMS_INVALID', path: `/${path.join('/')}`, message: (error as Error).message }];
  }
}

function monetizationActionIssues(dispatcher: ActionDispatcher, money: Monetization | undefined, basePath: (string | number)[]): ManifestIssue[] {
  return (money?.rules ?? []).flatMap((rule, r) => rule.actions.flatMap((action, a) => actionIssues(dispatcher, action, [...basePath, 'rules', r, 'actions', a])));
}

/** A creator's rules compiled (problems were reported at validate time; rules with problems are left out). */
function compileCreator(creator: ResolvedCreator, fallbackMoney: Monetization | undefined): CreatorRules {
  const chat = chatBehaviourSection.read(creator);
  const money = monetizationSection.read(creator) ?? fallbackMoney;
  return Object.freeze({
    ...(chat === undefined ? {} : { chat: compileChatBehaviour(chat, []).compiled }),
    ...(money === undefined ? {} : { money: compileMonetization(money, []).compiled }),
  });
}

/**
 * Chat rules as data: each creator's `chatBehaviour` (first-time greeting,
 * auto-replies, banned phrases, per-person rate limit) and `monetization`
 * (amounts mapped to actions by threshold) applied to every chat message,
 * through the action dispatcher. `chat.delete` and `chat.timeout` are the
 * dispatcher's built-in types; the platform plugins implement them.
 */
export const chatRulesPlugin = definePlugin({
  id: 'chat-rules',
  version: DEFAULTS_VERSION,
  kernel: KERNEL_RANGE,
  description: 'Chat behaviour and monetization rules (default)',
  register(reg) {
    let engine: ChatRulesEngine | undefined;
    reg.provide(chatRulesEngineRef, {
      deps: { bus: busRef, dispatcher: actionDispatcherRef, clock: clockRef, store: stateStoreRef, identity: identityMapRef, logger: loggerRef, kernel: kernelRef },
      // A replay runs the rules (dry-run) but must not mark anyone as greeted in the live store.
      factory: ({ kernel, ...deps }) => (engine = new ChatRulesEngine({ ...deps, persist: kernel.mode !== 'replay' })),
    });
    // A message a banned phrase deletes or times out does not fire the creator's triggers.
    reg.extend(chatFiltersExtensionPoint, { id: 'chat-rules', hold: (message) => engine?.removing(message) });
    reg.extend(manifestSectionsExtensionPoint, chatBehaviourSection);
    reg.extend(manifestSectionsExtensionPoint, monetizationSection);
    reg.extend(manifestSectionsExtensionPoint, manifestMonetizationSection);
    reg.extend(runtimeHooksExtensionPoint, chatRulesHooks);
  },
});

const chatRulesHooks = defineRuntimeHooks({
  deps: { engine: chatRulesEngineRef, dispatcher: actionDispatcherRef, kernel: kernelRef },

  /** Rules that contradict the creator's triggers, and monetization actions the dispatcher refuses. */
  checkCreator({ dispatcher }, creator, basePath) {
    const chat = chatBehaviourSection.read(creator);
    return [
      ...(chat === undefined ? [] : chatRuleConflicts(chat, creator.sections.triggers, basePath)),
      ...monetizationActionIssues(dispatcher, monetizationSection.read(creator), [...basePath, 'monetization']),
    ];
  },

  /** The top-level monetization default's actions. */
  checkManifest({ dispatcher }, manifest) {
    return monetizationActionIssues(dispatcher, manifestMonetizationSection.read(manifest), ['monetization']);
  },

  beforeCreators({ engine }) {
    engine.start();
  },

  creatorStarting({ engine, kernel }, { resolved, context }) {
    engine.attach(resolved.id, compileCreator(resolved, manifestMonetizationSection.read(kernel.manifest)), context.signal);
  },

  /** Reload: the new rules compiled first, then put in place in one step (a message sees the old rules or the new, never a mix). */
  creatorUpdated({ engine, kernel }, { resolved, context }) {
    engine.attach(resolved.id, compileCreator(resolved, manifestMonetizationSection.read(kernel.manifest)), context.signal);
  },

  /** The top-level monetization default changed: creators without their own section take the new one (same single-step swap). */
  manifestUpdated({ engine }, manifest) {
    const fallback = manifestMonetizationSection.read(manifest);
    for (const id of engine.creatorIds()) {
      const creator = manifest.creators[id];
      if (creator !== undefined && monetizationSection.read(creator) === undefined) engine.swap(id, compileCreator(creator, fallback));
    }
  },

  creatorStopping({ engine }, creatorId) {
    engine.detach(creatorId);
  },

  afterCreators({ engine }) {
    engine.stop();
  },

  idle({ engine }) {
    return engine.idle();
  },
});
