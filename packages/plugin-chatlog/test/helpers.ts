import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage } from '@streamsuites/kernel';
import { afterEach } from 'vitest';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ss-chatlog-'));
  dirs.push(dir);
  return dir;
}

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
