import { actionDispatcherRef, actionTypesExtensionPoint, definePlugin, Type, type ActionHandler, type ActionType, type AnyPlugin } from '@streamsuites/kernel';

/**
 * A plugin that stands in for a platform or a feature plugin in tests: it
 * declares `types` (action types the defaults do not know) and registers
 * `handlers` when it starts, as a real plugin would.
 */
export function handlersPlugin(id: string, handlers: ActionHandler<any>[], types: ActionType[] = []): AnyPlugin {
  return definePlugin({
    id,
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      for (const type of types) reg.extend(actionTypesExtensionPoint, type);
      reg.onInit({
        deps: { actions: actionDispatcherRef },
        init({ deps }) {
          for (const handler of handlers) deps.actions.registerHandler(handler);
        },
      });
    },
  });
}

/** `clip.create` declared as plugin-clips declares it (seconds 1..600, default 30; a title). */
export const clipCreateType: ActionType = {
  type: 'clip.create',
  paramsSchema: Type.Object({ seconds: Type.Integer({ minimum: 1, maximum: 600, default: 30 }), title: Type.Optional(Type.String()) }, { additionalProperties: false }),
};
