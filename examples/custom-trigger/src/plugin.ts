import { definePlugin, defineTriggerType, triggerTypesExtensionPoint } from '@streamsuites/kernel';
import { emoteComboParams } from './config.js';

/**
 * `emoteCombo`: fires when `count` messages within `windowSec` carry the same
 * emote (once per message, however often it appears in it). Args: the emote,
 * then the count. After firing, that emote's count starts over.
 */
export const emoteComboTriggerType = defineTriggerType({
  type: 'emoteCombo',
  paramsSchema: emoteComboParams,
  // Each trigger of each creator compiles its own state: receive times per emote, within the window.
  compile: (params) => ({ ...params, windowMs: params.windowSec * 1000, recent: new Map<string, number[]>() }),
  match(message, state) {
    // receivedAt is kernel-clock time, so replays see the same combos as the live run.
    const now = message.receivedAt;
    // Forget emotes whose last message left the window: memory stays bounded by the window.
    for (const [emote, times] of state.recent) if (now - times[times.length - 1]! >= state.windowMs) state.recent.delete(emote);
    for (const emote of new Set((message.emotes ?? []).map((e) => e.name ?? e.id))) {
      if (state.emote !== undefined && emote !== state.emote) continue;
      const times = (state.recent.get(emote) ?? []).filter((at) => now - at < state.windowMs);
      times.push(now);
      if (times.length < state.count) {
        state.recent.set(emote, times);
        continue;
      }
      state.recent.delete(emote); // once per combo, then it resets
      return [emote, String(times.length)];
    }
    return undefined;
  },
});

export default definePlugin({
  id: 'emote-combo',
  version: '0.1.0',
  kernel: '^0.2.0',
  register: (reg) => reg.extend(triggerTypesExtensionPoint, emoteComboTriggerType),
});
