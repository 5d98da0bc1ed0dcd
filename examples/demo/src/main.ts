// The StreamSuites demo: the main job on embedded defaults, no credentials.
// Later issues grow it (platform simulators, triggers, clips, exports).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createKernel, isStreamSuitesError } from '@streamsuites/kernel';
import exportsPlugin from '@streamsuites/plugin-exports';
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

const manifest = fileURLToPath(new URL('../streamsuites.json', import.meta.url));
const startedAt = Date.now();
let kernel;
try {
  kernel = await createKernel({ manifest, plugins: [heartbeatPlugin, exportsPlugin] });
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
const exported = new Set<string>();
kernel.bus.on('exports.written', ({ files }) => files.forEach((file) => exported.add(file)));
kernel.bus.on('exports.failed', () => void (failures += 1));
kernel.bus.on('kernel.listener.error', () => void (failures += 1));

kernel.handleSignals({ exit: false });
const stopped = kernel.bus.waitFor('kernel.stopped');
await kernel.start();
kernel.logger.info(
  { creators: kernel.creators() },
  duration === undefined ? 'demo running: press Ctrl-C to stop' : `demo running for ${duration} s`,
);

const keepAlive = setInterval(() => {}, 1 << 30);
if (duration !== undefined) setTimeout(() => void kernel.stop().catch(() => undefined), duration * 1000).unref();
const { errors } = await stopped;
clearInterval(keepAlive);

const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
const perCreator = Object.keys(kernel.manifest.creators)
  .map((id) => `${id}=${beats.get(id) ?? 0}`)
  .join(' ');
process.stdout.write(
  `\ndemo summary: ${seconds} s, ${Object.keys(kernel.manifest.creators).length} creators, heartbeats ${perCreator}, ${exported.size} export files in ${join(kernel.manifest.dataDir, '../demo-state')}, ${failures + errors} error(s)\n`,
);
process.exit(failures + errors === 0 ? 0 : 1);
