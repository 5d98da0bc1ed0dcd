import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';
import type { ChatMessage } from './chat.js';

/**
 * The chat trigger pipeline as a service. It takes every `chat.message` from
 * the bus by itself; `submit` is for messages that arrive another way — a
 * scale-out bridge delivering, from a shared stream, the messages another
 * process received (and which its chat filter held from the local run).
 */
export interface SubmitOptions {
  /**
   * The message ran before and may have been cut short (a scale-out bridge
   * redelivering what a dead process left unacknowledged): actions the
   * action journal records as done are not run again, and the cooldowns
   * this message reserved the first time let it through.
   */
  redelivered?: boolean;
}

export interface ChatPipeline {
  /**
   * Runs one message through the chat filters, its creator's triggers and
   * their actions, as if it had come from the bus; resolves when its actions
   * finished. Messages of a creator not running here are ignored.
   */
  submit(message: ChatMessage, options?: SubmitOptions): Promise<void>;
}

export const chatPipelineRef: ServiceRef<ChatPipeline, 'root'> = createServiceRef<ChatPipeline>({
  id: 'kernel.chatPipeline',
  methods: ['submit'],
  scope: 'root',
});
