// Benchmark: the typed bus (listener isolation, onAny check) against bare
// eventemitter3, both with one listener, measured in the same run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'eventemitter3';
import { EventBus, type ChatMessage } from '@streamsuites/kernel';

const EMITS = 2_000_000;
const ROUNDS = 7;

const payload: ChatMessage = {
  id: 'm1',
  platform: 'twitch',
  creatorId: 'daniel',
  channel: 'daniel',
  receivedAt: 0,
  sentAt: 0,
  author: { id: '1', login: 'viewer', displayName: 'Viewer', roles: [] },
  text: '!clip 30',
  isAction: false,
};

let sink = 0;
const listener = (message: ChatMessage) => {
  sink += message.text.length;
};

function measure(emit: () => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < EMITS; i++) emit();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return EMITS / seconds;
}

const bus = new EventBus();
bus.on('chat.message', listener);
const raw = new EventEmitter();
raw.on('chat.message', listener);

const emitTyped = () => void bus.emit('chat.message', payload);
const emitRaw = () => void raw.emit('chat.message', payload);

// Warm up both paths, then alternate rounds so drift hits both equally; keep the median.
measure(emitTyped);
measure(emitRaw);
const typed: number[] = [];
const bare: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  typed.push(measure(emitTyped));
  bare.push(measure(emitRaw));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const emitsPerSec = Math.round(median(typed));
const rawEmitsPerSec = Math.round(median(bare));
const vsRawEventEmitter3 = Number((emitsPerSec / rawEmitsPerSec).toFixed(3));

const result = {
  name: 'kernel.bus',
  unit: 'emits/s',
  cases: { emitsPerSec, rawEmitsPerSec },
  ratios: { vsRawEventEmitter3 },
  machine: { cpus: availableParallelism(), node: process.version },
};
console.table({
  'typed bus (1 listener)': { 'emits/s': emitsPerSec.toLocaleString('en-US') },
  'bare eventemitter3 (1 listener)': { 'emits/s': rawEmitsPerSec.toLocaleString('en-US') },
  'ratio ours / raw (goal ≥ 0.8)': { 'emits/s': vsRawEventEmitter3 },
});
mkdirSync('bench-results', { recursive: true });
writeFileSync(join('bench-results', 'kernel.bus.json'), `${JSON.stringify(result, null, 2)}\n`);
if (sink === 0) throw new Error('listener never ran');
