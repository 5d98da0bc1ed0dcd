// Benchmark: a full write of every export file with 10,000 clips and 1,000
// creators' triggers, and event-loop lag while writing on the cadence under
// 1,000 chat messages per second.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { busRef, clockRef, kernelRef, loggerRef, secretsRef, type ChatMessage } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { Exporter, type ExportSection } from '../src/index.js';
import { builtinSections, metaSection, placeholderSections, RuntimeObserver } from '../src/sections.js';

const CREATORS = 1000;
const CLIPS = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'ss-exports-bench-'));

const creators = Object.fromEntries(
  Array.from({ length: CREATORS }, (_, i) => [
    `creator${i}`,
    {
      enable: [],
      triggers: [
        { id: 'clip', type: 'command', params: { command: '!clip', aliases: ['!c'] }, cooldown: { user: '30s' }, actions: [{ type: 'chat.reply', params: { text: 'clipping {args}' } }] },
        { id: 'gg', type: 'keyword', params: { keywords: ['gg', 'good game'] }, actions: [{ type: 'chat.reply', params: { text: 'gg {user}' } }] },
      ],
    },
  ]),
);
const t = await startTestKernel({ manifest: { dataDir: dir, creators }, logLevel: 'silent' });

const clips = Array.from({ length: CLIPS }, (_, i) => ({
  id: `c${String(i).padStart(5, '0')}`,
  creator: `creator${i % CREATORS}`,
  title: `Clip ${i}: what a play`,
  platform: ['twitch', 'youtube', 'rumble'][i % 3]!,
  state: 'published',
  durationSec: 30,
  url: `https://rumble.com/v${i}`,
  createdAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
}));
const clipsSection: ExportSection<unknown> = { ...placeholderSections[0]!, snapshot: () => ({ clips }) };
const observer = new RuntimeObserver(500);
const sections: ExportSection<unknown>[] = [clipsSection, ...placeholderSections.slice(1), ...builtinSections(observer)];
const all: ExportSection<unknown>[] = [...sections, metaSection(() => all)];

const exporter = (cadenceMs: number) =>
  new Exporter({
    sections: all,
    root: join(dir, 'state'),
    source: 'bench',
    debounceMs: 250,
    cadenceMs,
    kernel: t.kernel.resolve(kernelRef),
    bus: t.kernel.resolve(busRef),
    clock: t.kernel.resolve(clockRef),
    logger: t.kernel.resolve(loggerRef),
    secrets: t.kernel.resolve(secretsRef),
  });

// Full writes: median of 7 after a warm-up.
const full = exporter(3_600_000);
await full.flush();
const times: number[] = [];
for (let i = 0; i < 7; i++) {
  const start = performance.now();
  await full.flush();
  times.push(performance.now() - start);
}
const clips10kMs = Number([...times].sort((a, b) => a - b)[3]!.toFixed(1));

// Event-loop lag under 1,000 msg/s while writing on a 1 s cadence (30 s in production: 30x more writes here).
const live = exporter(1000);
await live.start();
const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
let sent = 0;
const chat = setInterval(() => {
  for (let i = 0; i < 10; i++) {
    sent += 1;
    const message: ChatMessage = {
      id: `m${sent}`, platform: 'twitch', creatorId: `creator${sent % CREATORS}`, channel: 'c', receivedAt: Date.now(), sentAt: Date.now(),
      author: { id: `u${sent % 300}`, login: `user${sent % 300}`, displayName: `User${sent % 300}`, roles: [] }, text: sent % 20 === 0 ? '!clip 30' : 'lol that was close', isAction: false,
    };
    observer.chat(message);
    t.bus.emit('chat.message', message);
  }
}, 10);
await new Promise((resolve) => setTimeout(resolve, 6000));
clearInterval(chat);
histogram.disable();
await live.stop();
const lagP99Ms = Number((histogram.percentile(99) / 1e6).toFixed(1));

await t.stop();
rmSync(dir, { recursive: true, force: true });

const result = {
  name: 'exports.write',
  unit: 'ms',
  cases: { clips10kMs, lagP99Ms },
  ratios: { clips10kVsGoal: Number((clips10kMs / 150).toFixed(2)), lagVsGoal: Number((lagP99Ms / 20).toFixed(2)) },
  machine: { cpus: availableParallelism(), node: process.version },
};
console.table({ 'full write, 10k clips + 1k creators (goal ≤ 150)': { ms: clips10kMs }, 'event-loop lag p99 at 1k msg/s (goal ≤ 20)': { ms: lagP99Ms }, 'messages sent': { ms: sent } });
mkdirSync('bench-results', { recursive: true });
writeFileSync(join('bench-results', 'exports.write.json'), `${JSON.stringify(result, null, 2)}\n`);
