// Benchmark: the twitch.pipeline workload arriving the way it does in
// production — over a loopback WebSocket from an IRC server (in a child
// process, so it has its own core), through a transport, into the pipeline.
// Our transport (createWebSocketTransport, the plugin's) against tmi.js
// 1.8.5 driven through its public `raw_message` event, the other way to get
// raw lines without touching tmi.js internals. One line per frame (the
// worst case) and 10 lines per frame (how a busy Twitch channel arrives).
//
// `…MsgPerSec` is wall clock; `…CpuMsgPerSec` divides by the CPU time of
// this (the client's) process, so it is the client's cost alone even when the
// server or another program on the machine is the limit.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import tmi from 'tmi.js';
import { createWebSocketTransport } from '../src/transport.js';
import { createPipeline, LINES, lines } from './workload.js';

const require = createRequire(import.meta.url);
const TOTAL = 3 * LINES; // each case: 120,000 messages, every one delivered once

/** A minimal Twitch IRC server: welcome at NICK; at JOIN, the echo and then `total` chat lines as fast as the socket takes them. */
const SERVER = `
let lines = [];
let plan = { framing: 1, total: 0 };
let wss;
process.on('message', (m) => {
  if (m.ws) {
    lines = m.lines;
    wss = new (require(m.ws).WebSocketServer)({ host: '127.0.0.1', port: 0 });
    wss.on('listening', () => process.send({ port: wss.address().port }));
    wss.on('connection', accept);
  } else if (m.plan) {
    plan = m.plan;
    process.send({ planned: true });
  } else process.exit(0);
});
async function blast(ws, { framing, total }) {
  let i = 0;
  while (i < total && ws.readyState === 1) {
    // 2,000 frames, then wait until they are written: bounded memory, full speed.
    for (let f = 0; f < 2000 && i < total; f++) {
      let frame = '';
      for (let k = 0; k < framing && i < total; k++, i++) frame += lines[i % lines.length] + '\\r\\n';
      ws.send(frame);
    }
    await new Promise((resolve) => ws.send('', resolve)); // an empty frame carries no line
  }
}
function accept(ws) {
  let nick = 'bench';
  ws.on('message', (data) => {
    for (const line of data.toString().split('\\r\\n')) {
      if (line.startsWith('NICK ')) {
        nick = line.slice(5);
        ws.send(':tmi.twitch.tv 001 ' + nick + ' :Welcome, GLHF!\\r\\n:tmi.twitch.tv 376 ' + nick + ' :>\\r\\n');
      } else if (line.startsWith('JOIN ')) {
        const channel = line.slice(5);
        ws.send(':' + nick + '!' + nick + '@' + nick + '.tmi.twitch.tv JOIN ' + channel + '\\r\\n');
        void blast(ws, plan);
      } else if (line.startsWith('PING')) {
        ws.send('PONG :tmi.twitch.tv\\r\\n');
      }
    }
  });
}
`;

const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const ask = <T>(message: object) => new Promise<T>((resolve) => {
  server.once('message', (answer) => resolve(answer as T));
  server.send(message);
});
const { port } = await ask<{ port: number }>({ ws: require.resolve('ws'), lines });
const url = `ws://127.0.0.1:${port}`;

/** Connects one client; `push` gets every raw line; resolves with a way to close it. */
type Client = (push: (line: string) => void) => Promise<() => Promise<void>>;

const ours: Client = async (push) => {
  const transport = createWebSocketTransport({ url, login: 'bench', token: 'benchtoken', channels: ['bench'] });
  transport.onLine(push);
  await transport.connect();
  return () => transport.close();
};

const tmiRawMessage: Client = async (push) => {
  const client = new tmi.Client({
    options: { skipUpdatingEmotesets: true, skipMembership: true },
    connection: { server: '127.0.0.1', port, secure: false, reconnect: false },
    identity: { username: 'bench', password: 'oauth:benchtoken' },
    channels: ['#bench'],
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  // (copy, original): the original parsed message still carries the raw line.
  client.on('raw_message', (_copy, message) => push(String(message.raw)));
  await client.connect();
  return async () => void (await client.disconnect().catch(() => undefined));
};

interface Measured {
  msgPerSec: number;
  cpuMsgPerSec: number;
}

/** Delivers TOTAL messages over one connection through `client`; wall-clock and busy-time rates. */
async function measure(client: Client, framing: number): Promise<Measured> {
  await ask({ plan: { framing, total: TOTAL } });
  const chat = createPipeline();
  let startedAt = 0;
  let cpu = process.cpuUsage();
  let finish!: (m: Measured) => void;
  const done = new Promise<Measured>((resolve) => (finish = resolve));
  const close = await client((line) => {
    chat.push(line, 0);
    if (chat.delivered === 1) {
      startedAt = performance.now();
      cpu = process.cpuUsage();
    } else if (chat.delivered === TOTAL && startedAt > 0) {
      const wallMs = performance.now() - startedAt;
      const { user, system } = process.cpuUsage(cpu);
      startedAt = 0;
      finish({ msgPerSec: Math.round(((TOTAL - 1) / wallMs) * 1000), cpuMsgPerSec: Math.round(((TOTAL - 1) / (user + system)) * 1e6) });
    }
  });
  const result = await done;
  await close();
  if (chat.duplicates !== 0 || chat.matched === 0) throw new Error(`the pipeline did not run cleanly (duplicates ${chat.duplicates}, matched ${chat.matched})`);
  return result;
}

const clients: Record<string, Client> = { ws: ours, tmiRawMessage };
const cases: Record<string, number> = {};
// Interleave the cases twice and keep each one's best, so none gets a cold or a lucky slot.
for (let round = 0; round < 2; round++) {
  for (const [framing, suffix] of [[1, ''], [10, 'Batch10']] as const) {
    for (const [name, client] of Object.entries(clients)) {
      const { msgPerSec, cpuMsgPerSec } = await measure(client, framing);
      cases[`${name}${suffix}MsgPerSec`] = Math.max(cases[`${name}${suffix}MsgPerSec`] ?? 0, msgPerSec);
      cases[`${name}${suffix}CpuMsgPerSec`] = Math.max(cases[`${name}${suffix}CpuMsgPerSec`] ?? 0, cpuMsgPerSec);
    }
  }
}
server.send({ exit: true });

const ratios = {
  tmiVsWsCpu: Number((cases.tmiRawMessageCpuMsgPerSec! / cases.wsCpuMsgPerSec!).toFixed(2)),
  tmiVsWsCpuBatch10: Number((cases.tmiRawMessageBatch10CpuMsgPerSec! / cases.wsBatch10CpuMsgPerSec!).toFixed(2)),
};
console.table(Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, { 'msg/s': v }])));
console.table(Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, { ratio: v }])));
const result = { name: 'twitch.transport', unit: 'msg/s', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
mkdirSync('bench-results', { recursive: true });
writeFileSync(join('bench-results', 'twitch.transport.json'), `${JSON.stringify(result, null, 2)}\n`);
