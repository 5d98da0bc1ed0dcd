// Benchmark: votes counted per second for one open poll and 10,000 voters,
// each vote a chat message on the bus going through the creator's triggers
// (none matches a vote) and the engagement plugin (parse, count, ballot in
// the state store, `poll.vote` event), against a baseline that only parses
// the same lines and counts them in a Map.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage } from '@streamsuites/kernel';
import { chatMessage, startTestKernel } from '@streamsuites/testing';
import engagementPlugin from '../src/index.js';
import { parseVote } from '../src/vote-parser.js';

const VOTERS = 10_000;
const OPTIONS = ['Dust', 'Inferno', 'Mirage', 'Nuke'];
const ROUNDS = 5;

const votes: ChatMessage[] = Array.from({ length: VOTERS }, (_, i) =>
  chatMessage({
    id: `vote-${i}`,
    creatorId: 'alice',
    text: i % 3 === 0 ? `!vote ${OPTIONS[i % OPTIONS.length]!.toLowerCase()}` : `!vote ${(i % OPTIONS.length) + 1}`,
    receivedAt: 1_795_000_000_000,
    author: { id: `uid-${i}`, login: `viewer_${i}` },
  }),
);

/** One round through the real plugin: a fresh kernel, a poll opened by a moderator's !poll, then every vote. */
async function pluginRound(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'ss-votes-bench-'));
  const t = await startTestKernel({
    plugins: [engagementPlugin],
    logLevel: 'silent',
    manifest: {
      dataDir: dir,
      creators: {
        alice: {
          enable: ['engagement'],
          triggers: [
            { id: 'poll', type: 'command', params: { command: '!poll' }, roles: ['moderator'], actions: [{ type: 'poll.open', params: { question: 'Map?', options: OPTIONS } }] },
            { id: 'clip', type: 'command', params: { command: '!clip' }, actions: [{ type: 'chat.reply', params: { text: 'clipping' } }] },
            { id: 'gg', type: 'keyword', params: { keywords: ['gg', 'good game'] }, actions: [{ type: 'chat.reply', params: { text: 'gg {user}' } }] },
          ],
        },
      },
    },
  });
  try {
    const opened = t.bus.waitFor('poll.opened', () => true, { timeout: 10_000 });
    t.bus.emit('chat.message', chatMessage({ creatorId: 'alice', text: '!poll', author: { login: 'mod_anna', roles: ['moderator'] } }));
    await opened;
    let counted = 0;
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const off = t.bus.on('poll.vote', () => {
      if (++counted === VOTERS) done();
    });
    const start = process.hrtime.bigint();
    for (const vote of votes) t.bus.emit('chat.message', vote);
    await all;
    await t.kernel.idle();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    off();
    return VOTERS / seconds;
  } finally {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline: the same lines parsed and counted in a Map, nothing else. */
function mapRound(): number {
  const start = process.hrtime.bigint();
  const ballots = new Map<string, number>();
  for (const vote of votes) {
    const option = parseVote(vote.text, '!vote', OPTIONS);
    if (option !== undefined) ballots.set(`${vote.platform}:${vote.author.id}`, option);
  }
  if (ballots.size !== VOTERS) throw new Error(`baseline counted ${ballots.size} voters`);
  return VOTERS / (Number(process.hrtime.bigint() - start) / 1e9);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
await pluginRound(); // warm-up
mapRound();
const plugin: number[] = [];
const baseline: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  plugin.push(await pluginRound());
  baseline.push(mapRound());
}
const cases = { votesPerSec: Math.round(median(plugin)), mapVotesPerSec: Math.round(median(baseline)) };
const ratios = { votesVsMap: Number((cases.votesPerSec / cases.mapVotesPerSec).toFixed(4)) };
console.table(cases);
console.table(ratios);
const result = { name: 'engagement.votes', unit: 'votes/s', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
mkdirSync('bench-results', { recursive: true });
writeFileSync(join('bench-results', 'engagement.votes.json'), `${JSON.stringify(result, null, 2)}\n`);
