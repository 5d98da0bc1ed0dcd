import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { definePlugin, exportsExtensionPoint, type ChatMessage } from '@streamsuites/kernel';
import { clipSections } from '@streamsuites/plugin-clips';
import engagementPlugin, { engagementRef } from '@streamsuites/plugin-engagement';
import { normalizeLine } from '@streamsuites/plugin-twitch';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import exportsPlugin from '../src/index.js';
import { readTree, tempDir } from './helpers.js';

// Captured Twitch IRC lines (fixtures/twitch, provenance in fixtures/SOURCES.md), through the real normalizer.
const FIXTURES = new URL('../../../fixtures/twitch/', import.meta.url);
const T0 = Date.UTC(2026, 10, 27, 20, 0, 0);

function capturedMessages(creatorId: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.irc')).sort()) {
    readFileSync(new URL(file, FIXTURES), 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .forEach((line, i) => {
        const result = normalizeLine(line, { creatorId, receivedAt: T0 + out.length * 1000 + i });
        if (result.kind === 'message') out.push(result.message);
      });
  }
  return out;
}

/** Matches `word` as a whole token (not inside a longer login, id or word), case-insensitively. */
const token = (word: string) => new RegExp(`(?<![\\p{L}\\p{N}_])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_])`, 'iu');

describe('public exports fed real chat, clips and polls', () => {
  // Fails when a public file carries a chatter's id or login: checked by making runtime/signals/chat_events.json
  // public once (its visibility in src/sections.ts): its author display names equal the logins of most
  // captured chatters (schmoopiie, alca...), and the test failed on that file; and by wrapping the clips
  // section once to add the records' requestedBy to clips.json: it failed with jun1orrrr and hash_table.
  it('contain no user id or login of the chatters in the fed data, in any file meta.json lists as public', async () => {
    const dataDir = tempDir();
    const messages = capturedMessages('alice');
    expect(messages.length).toBeGreaterThanOrEqual(30);

    // Clips as plugin-clips exports them (its clipSections), fed records made from real chat: the clip a
    // captured message asked for, with what plugin-clips records about the asker (requestedBy: the
    // display name; requestKey: platform and message id).
    const askers = messages.filter((m) => ['jun1orrrr', 'riotgames', 'hash_table'].includes(m.author.login));
    expect(askers.map((m) => m.author.login).sort()).toEqual(['hash_table', 'hash_table', 'jun1orrrr', 'riotgames']);
    const records = askers.map((m, i) => ({
      id: `k${i}clip`,
      creatorId: 'alice',
      platform: m.platform,
      title: m.text, // as `!clip {args}` would name it
      requestedBy: m.author.displayName,
      requestKey: `${m.platform}:${m.id}`,
      seconds: 30,
      mode: 'copy',
      state: i % 2 === 0 ? 'published' : 'encoding',
      outputPath: null,
      url: i % 2 === 0 ? `https://clips.example/k${i}clip.mp4` : null,
      durationSec: 30,
      error: null,
      errorCode: null,
      destination: 'http',
      createdAt: m.receivedAt,
      updatedAt: m.receivedAt,
      publishedAt: i % 2 === 0 ? m.receivedAt + 5000 : null,
      expiredAt: null,
      job: { phase: 'done', attempts: 1, maxAttempts: 3, nextRunAt: null },
    }));
    const clipJobs = { list: () => [...records].reverse() } as unknown as Parameters<typeof clipSections>[0] extends () => infer J ? J : never;
    const clips = definePlugin({
      id: 'clips',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        for (const section of clipSections(() => clipJobs)) reg.extend(exportsExtensionPoint, section);
      },
    });

    const t = await startTestKernel({
      plugins: [exportsPlugin, engagementPlugin, clips],
      clock: { now: () => T0 + 3_600_000 },
      manifest: {
        dataDir,
        plugins: { exports: { config: { mirror: false } }, engagement: { config: {} } },
        // Votes are "<voteCommand> <option>": with "Hello", two captured chatters' messages are votes.
        creators: { alice: { enable: ['exports', 'engagement', 'clips'], config: { engagement: { polls: { voteCommand: 'Hello' } } } } },
      },
    });
    await t.events.waitFor('exports.written');
    const engagement = t.kernel.resolve(engagementRef);
    await engagement.openPoll('alice', { question: 'Which greeting?', options: [':)', 'from shared chat'] });
    for (const message of messages) t.bus.emit('chat.message', message);
    const votes = t.events.of('poll.vote');
    expect(votes.map((v) => v.option).sort()).toEqual([':)', 'from shared chat']);
    const voters = messages.filter((m) => votes.some((v) => v.messageId === m.id)).map((m) => m.author);
    expect(voters.map((a) => [a.login, a.id])).toEqual([
      ['schmoopiie', 'schmoopiie'], // a tmi.js line without user-id: the login stands in for the id
      ['testuser', '987654'],
    ]);
    expect(engagement.polls('alice')[0]).toMatchObject({ status: 'open', counts: [1, 1] });
    await t.stop();

    const root = join(dataDir, 'state');
    const tree = readTree(root);
    // The fed data carried the identifiers the check looks for: every chatter's id and login.
    const identifiers = new Set<string>();
    for (const m of messages) {
      expect(m.author.login, m.id).toMatch(/\S/);
      identifiers.add(m.author.login);
      identifiers.add(m.author.id);
    }
    expect(identifiers.size).toBeGreaterThanOrEqual(25);
    for (const known of ['randers', '40286300', 'pajlada', '11148817', 'testuser', '987654', 'jun1orrrr', '29803735']) expect(identifiers).toContain(known);
    // ...and the written exports really hold that data.
    const polls = JSON.parse(tree['runtime/exports/polls.json']!) as { polls: { question: string; options: { label: string; votes: number }[] }[] };
    expect(polls.polls[0]!.options.map((o) => o.votes)).toEqual([1, 1]);
    const clipsJson = JSON.parse(tree['runtime/exports/clips.json']!) as { clips: { id: string }[] };
    expect(clipsJson.clips.map((c) => c.id).sort()).toEqual(records.map((r) => r.id).sort());
    const chatEvents = JSON.parse(tree['runtime/signals/chat_events.json']!) as { events: unknown[] };
    expect(chatEvents.events).toHaveLength(messages.length);

    const meta = JSON.parse(tree['runtime/exports/meta.json']!) as { files: { path: string; visibility: string }[] };
    const publicFiles = meta.files.filter((f) => f.visibility === 'public').map((f) => f.path);
    expect(publicFiles).toEqual(expect.arrayContaining(['runtime/exports/clips.json', 'runtime/exports/polls.json', 'runtime/exports/meta.json']));
    for (const file of publicFiles) {
      const text = tree[file];
      expect(text, `${file} listed in meta.json but not written`).toBeDefined();
      expect(JSON.parse(text!).meta.visibility, file).toBe('public');
      const found = [...identifiers].filter((id) => token(id).test(text!));
      expect(found, file).toEqual([]);
    }
  });
});
