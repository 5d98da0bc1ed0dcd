import type { ChatMessage } from './chat.js';
import { createExtensionPoint } from '../extension-point.js';

/**
 * Keeps a chat message away from the chat triggers: a message a moderation
 * rule is removing ("!clip buy followers" caught by a banned phrase) must
 * not fire `!clip` on its way out. The trigger pipeline asks every filter
 * before it evaluates a message; the first reason given holds it (it is
 * still on the bus for everyone else: logs, exports, the rules removing it).
 */
export interface ChatFilter {
  /** Who holds messages (for logs and counts): `chat-rules`. */
  id: string;
  /**
   * Why the message must not reach the triggers, or undefined to let it
   * through. Synchronous and cheap: it runs for every chat message of
   * every creator. A filter that throws lets the message through (logged).
   */
  hold(message: ChatMessage): string | undefined;
}

/** Contribute with `reg.extend(chatFiltersExtensionPoint, filter)`. */
export const chatFiltersExtensionPoint = createExtensionPoint<ChatFilter>({ id: 'kernel.chatFilters' });
