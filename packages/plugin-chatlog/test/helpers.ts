import type { ChatMessage } from '@streamsuites/kernel';
import { createTempDirs } from '@streamsuites/kernel/testing';
import { afterEach } from 'vitest';

const temp = createTempDirs('ss-chatlog-');
afterEach(() => temp.removeAll());

/** A temporary folder, removed after the test. */
export const tempDir = (): string => temp.make();

let counter = 0;
export function message(creatorId: string, text: string, user = 'viewer', at = 0): ChatMessage {
  counter += 1;
  return {
    id: `m${counter}`,
    platform: 'twitch',
    creatorId,
    channel: creatorId,
    receivedAt: at,
    sentAt: at,
    author: { id: `uid-${user}`, login: user, displayName: user, roles: [], badges: {} },
    text,
    isAction: false,
  } as ChatMessage;
}
