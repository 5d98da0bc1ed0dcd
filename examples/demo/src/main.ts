// The StreamSuites demo: the main job on embedded defaults, no credentials.
// Later issues grow it (platform simulators, triggers, clips, exports).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createKernel, isStreamSuitesError } from '@streamsuites/kernel';
import { readFileSync } from 'node:fs';
import exportsPlugin from '@streamsuites/plugin-exports';
import twitchPlugin from '@streamsuites/plugin-twitch';
import { simulateChat, startFakeTwitchChat, type StopSimulation } from '@streamsuites/plugin-twitch/testing';
import { heartbeatPlugin } from './heartbeat-plugin.js';

const USAGE = `Usage: npm run demo -- [--duration <seconds>]

Runs three demo creators on embedded defaults and prints what happens.
  --duration <s>   stop after s seconds and print a summary (exit 0)
  -h, --help       show this help
Without --duration the demo runs until Ctrl-C.
`;

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let options: { duration?: string; help?: boolean };
try {
  options = parseArgs({ options: { duration: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
} catch (error) {
  fail(`error SS_ERR_CLI_USAGE: ${(error as Error).message}\n\n${USAGE}`, 2);
}
if (options.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const duration = options.duration === undefined ? undefined : Number(options.duration);
if (duration !== undefined && !(Number.isFinite(duration) && duration > 0)) {
  fail(`error SS_ERR_CLI_USAGE: --duration must be a positive number of seconds, got "${options.duration}"\n\n${USAGE}`, 2);
}

// Embedded defaults: a local Twitch chat server stands in for Twitch, no credentials needed.
const manifestFile = fileURLToPath(new URL('../streamsuites.json', import.meta.url));
const fake = await startFakeTwitchChat();
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { plugins: { twitch: { config: { chatUrl: string } } } };
manifest.plugins.twitch.config.chatUrl = fake.url;
const recorded = readFileSync(fileURLToPath(new URL('../fixtures/twitch-chat.irc', import.meta.url)), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0 && !line.startsWith('#'));
const startedAt = Date.now();
let kernel;
try {
  kernel = await createKernel({ manifest, baseDir: dirname(manifestFile), plugins: [heartbeatPlugin, exportsPlugin, twitchPlugin] });
} catch (error) {
  fail(isStreamSuitesError(error) ? `error ${error.code}: ${error.message}` : String(error), 1);
}

const beats = new Map<string, number>();
let failures = 0;
kernel.bus.on('demo.heartbeat', ({ creatorId, beat, mood }) => {
  beats.set(creatorId, beat);
  kernel.logger.info({ creator: creatorId, beat, mood }, `♥ ${creatorId}`);
});
kernel.bus.on('kernel.plugin.failed', () => void (failures += 1));
const messages = new Map<string, number>();
kernel.bus.on('chat.message', ({ creatorId }) => void messages.set(creatorId, (messages.get(creatorId) ?? 0) + 1));
let triggersFired = 0;
kernel.bus.on('trigger.fired', ({ creatorId, triggerId, args }) => {
  triggersFired += 1;
  kernel.logger.info({ creator: creatorId, trigger: triggerId, args }, `trigger ${triggerId} fired`);
});
kernel.bus.on('action.failed', () => void (failures += 1));
const exported = new Set<string>();
kernel.bus.on('exports.written', ({ files }) => files.forEach((file) => exported.add(file)));
kernel.bus.on('exports.failed', () => void (failures += 1));
kernel.bus.on('kernel.listener.error', () => void (failures += 1));

kernel.handleSignals({ exit: false });
const stopped = kernel.bus.waitFor('kernel.stopped');
await kernel.start();
// Recorded real chat plus viewers using the triggers, a few messages a second per creator.
const script = [
  { user: 'viewer_anna', text: '!hello' },
  { user: 'viewer_ben', text: 'that was a good game' },
  { user: 'viewer_cy', text: '!hi everyone' },
];
const simulations: StopSimulation[] = kernel.creators().map((channel) =>
  simulateChat(fake, { channel, lines: recorded, ratePerSec: 4, loop: true, script, scriptEvery: 2 }),
);
kernel.logger.info(
  { creators: kernel.creators() },
  duration === undefined ? 'demo running: press Ctrl-C to stop' : `demo running for ${duration} s`,
);

const keepAlive = setInterval(() => {}, 1 << 30);
if (duration !== undefined) setTimeout(() => void kernel.stop().catch(() => undefined), duration * 1000).unref();
const { errors } = await stopped;
clearInterval(keepAlive);
for (const stop of simulations) stop();
const replies = Object.keys(kernel.manifest.creators).reduce((n, id) => n + fake.sent(id).length, 0);
await fake.close();

const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
const perCreator = Object.keys(kernel.manifest.creators)
  .map((id) => `${id}=${beats.get(id) ?? 0}`)
  .join(' ');
const chatPerCreator = Object.keys(kernel.manifest.creators)
  .map((id) => `${id}=${messages.get(id) ?? 0}`)
  .join(' ');
process.stdout.write(
  `\ndemo summary: ${seconds} s, ${Object.keys(kernel.manifest.creators).length} creators, messages ${chatPerCreator}, ${triggersFired} triggers fired, ${replies} replies received by the chat server, heartbeats ${perCreator}, ${exported.size} export files in ${join(kernel.manifest.dataDir, '../demo-state')}, ${failures + errors} error(s)\n`,
);
process.exit(failures + errors === 0 ? 0 : 1);
