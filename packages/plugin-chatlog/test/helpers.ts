import type { ChatMessage } from '@streamsuites/kernel';
import { chatMessage, createTempDirs } from '@streamsuites/testing';
import { afterEach } from 'vitest';

const temp = createTempDirs('ss-chatlog-');
afterEach(() => temp.removeAll());

/** A temporary folder, removed after the test. */
export const tempDir = (): string => temp.make();

/** A Twitch message of `user` received at `at` (kernel clock). */
export function message(creatorId: string, text: string, user = 'viewer', at = 0): ChatMessage {
  return chatMessage({ creatorId, text, receivedAt: at, author: { login: user, displayName: user, badges: {} } });
}
