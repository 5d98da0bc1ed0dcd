/**
 * Test helpers for plugin authors: `startTestKernel` boots real wiring (real
 * bus, real DI scopes, real lifecycle) with a silent logger and records every
 * event.
 *
 * ```ts
 * const t = await startTestKernel({ plugins: [myPlugin], manifest: { creators: { c1: { enable: ['my'] } } } });
 * t.bus.emit('chat.message', chatMessage({ creatorId: 'c1', text: '!hello' }));
 * await t.events.waitFor('trigger.fired');
 * // stopped when the test ends (under vitest), or: await t.stop();
 * ```
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import type { EventBus } from './bus.js';
import type { ChatAuthor, ChatMessage } from './contracts/chat.js';
import type { EventName, StreamSuitesEvents } from './events.js';
import { createKernel, type CreateKernelOptions, type Kernel, type ServiceOverride } from './kernel.js';
import { createLogger, type LogLevel } from './logger.js';
import { SS_ERR_WAIT_TIMEOUT } from './errors.js';
import type { Contribution, ExtensionPoint } from './extension-point.js';
import { definePlugin, type AnyPlugin } from './plugin.js';

export interface RecordedEvent<E extends EventName = EventName> {
  event: E;
  payload: StreamSuitesEvents[E];
}

/** Records every event emitted on a bus, in order. */
export class BusRecorder {
  readonly events: RecordedEvent[] = [];
  readonly #bus: EventBus;
  readonly #unsubscribe: () => void;

  constructor(bus: EventBus) {
    this.#bus = bus;
    this.#unsubscribe = bus.onAny((event, payload) => {
      this.events.push({ event, payload } as RecordedEvent);
    });
  }

  /** Payloads of one event, in order. */
  of<E extends EventName>(event: E): StreamSuitesEvents[E][] {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as StreamSuitesEvents[E]);
  }

  /** Names of all recorded events, in order. */
  names(): EventName[] {
    return this.events.map((e) => e.event);
  }

  /** First recorded or future payload of `event` matching `predicate`. */
  waitFor<E extends EventName>(
    event: E,
    predicate: (payload: StreamSuitesEvents[E]) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<StreamSuitesEvents[E]> {
    const seen = this.of(event).find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return this.#bus.waitFor(event, predicate, { timeout: timeoutMs }).catch((error: unknown) => {
      if (SS_ERR_WAIT_TIMEOUT.is(error)) {
        error.message += `; recorded events: ${this.names().join(', ') || '(none)'}`;
      }
      throw error;
    });
  }

  clear(): void {
    this.events.length = 0;
  }

  dispose(): void {
    this.#unsubscribe();
  }
}

/** Log lines captured by a test kernel, parsed from JSON. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];

  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      this.raw.push(line);
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.lines.push({ msg: line });
      }
    }
    callback();
  }

  /** All captured output as one string. */
  text(): string {
    return this.raw.join('\n');
  }
}

export interface StartTestKernelOptions {
  plugins?: readonly AnyPlugin[];
  /** Default plugins (see createKernel); none here — @streamsuites/testing's startTestKernel passes @streamsuites/defaults. */
  defaults?: readonly AnyPlugin[];
  /** Known packages for manifest hints (see createKernel). */
  catalog?: CreateKernelOptions['catalog'];
  /** Manifest object (or file path). `creators` defaults to none. */
  manifest?: CreateKernelOptions['manifest'];
  /** Replace service providers by ref. */
  services?: readonly ServiceOverride<any, any>[];
  env?: Readonly<Record<string, string | undefined>>;
  /** Log level of the captured logger (default `debug`). */
  logLevel?: LogLevel;
  clock?: CreateKernelOptions['clock'];
  /** Do not call start() (to test boot behaviour yourself). */
  start?: boolean;
}

export interface TestKernel extends AsyncDisposable {
  kernel: Kernel;
  bus: EventBus;
  events: BusRecorder;
  logs: LogCapture;
  /**
   * Stops the kernel (idempotent). Under vitest, a kernel started inside a
   * test is stopped when that test ends if the test did not stop it
   * (`stopsWithTest`); a stop failure then fails the test.
   */
  stop(): Promise<void>;
  /**
   * True when the kernel will be stopped when the current vitest test ends:
   * startTestKernel was called inside a test (not in `beforeAll` or at
   * module level, where you stop it yourself, e.g. in `afterAll`).
   */
  stopsWithTest: boolean;
}

export async function startTestKernel(options: StartTestKernelOptions = {}): Promise<TestKernel> {
  const logs = new LogCapture();
  const manifest = options.manifest ?? { creators: {} };
  const kernel = await createKernel({
    manifest: typeof manifest === 'string' || 'creators' in manifest ? manifest : { ...manifest, creators: {} },
    plugins: options.plugins ?? [],
    defaults: options.defaults ?? [],
    ...(options.catalog === undefined ? {} : { catalog: options.catalog }),
    services: options.services ?? [],
    env: options.env ?? {},
    logDestination: logs,
    logLevel: options.logLevel ?? 'debug',
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const events = new BusRecorder(kernel.bus);
  const stop = async () => {
    try {
      await kernel.stop();
    } finally {
      events.dispose();
    }
  };
  // Registered before start(): a start that throws half-way still leaves a kernel to stop.
  const stopsWithTest = await stopWhenTestEnds(async () => {
    // A test that stopped it (maybe expecting a failure) already has the outcome; do not report it again.
    const state = kernel.status().state;
    if (state !== 'stopping' && state !== 'stopped') await stop();
  });
  if (options.start !== false) await kernel.start();
  return { kernel, bus: kernel.bus, events, logs, stop, stopsWithTest, [Symbol.asyncDispose]: stop };
}

/** The part of vitest's API that startTestKernel uses. */
interface VitestHooks {
  onTestFinished(fn: () => Promise<void>): void;
}

/**
 * Runs `cleanup` when the current vitest test finishes (vitest's
 * `onTestFinished`, which runs after the test's `afterEach` hooks). vitest
 * is loaded only inside a vitest worker (`VITEST` is set there), by a
 * computed specifier so bundlers leave it out of the kernel's build. Returns
 * false under another test runner, or when called outside a test
 * (`onTestFinished` throws there).
 */
async function stopWhenTestEnds(cleanup: () => Promise<void>): Promise<boolean> {
  if (process.env.VITEST === undefined) return false;
  const specifier = 'vitest';
  let vitest: Partial<VitestHooks>;
  try {
    vitest = (await import(specifier)) as Partial<VitestHooks>;
  } catch {
    return false; // vitest not resolvable from the kernel: the caller stops the kernel itself
  }
  if (typeof vitest.onTestFinished !== 'function') return false;
  try {
    vitest.onTestFinished(cleanup);
    return true;
  } catch {
    return false; // not inside a test (beforeAll, module level)
  }
}

let chatMessageCount = 0;

/** What {@link chatMessage} takes: any ChatMessage field, and any author field. */
export type ChatMessageOverrides = Partial<Omit<ChatMessage, 'author'>> & { author?: Partial<ChatAuthor> };

/**
 * A valid, normalized chat message for tests: Twitch, creator `alice` (the
 * channel follows the creator), author `viewer` (id `uid-<login>`, display
 * name the login capitalized, no roles), text `hello`, received now, sent
 * when received, and a unique id (`msg-1`, `msg-2`... per test file).
 * Override any field; `author` fields merge with the defaults.
 *
 * ```ts
 * chatMessage({ text: '!clip 30', author: { login: 'mod_anna', roles: ['moderator'] } });
 * ```
 */
export function chatMessage(overrides: ChatMessageOverrides = {}): ChatMessage {
  chatMessageCount += 1;
  const { author, ...fields } = overrides;
  const creatorId = fields.creatorId ?? 'alice';
  const receivedAt = fields.receivedAt ?? Date.now();
  const login = author?.login ?? 'viewer';
  return {
    id: `msg-${chatMessageCount}`,
    platform: 'twitch',
    creatorId,
    channel: creatorId,
    receivedAt,
    sentAt: receivedAt,
    text: 'hello',
    isAction: false,
    ...fields,
    author: { id: `uid-${login}`, login, displayName: login.charAt(0).toUpperCase() + login.slice(1), roles: [], ...author },
  };
}

export interface SpawnedScript {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout contains `text`; rejects if the process exits first. */
  until(text: string): Promise<void>;
}

/**
 * Runs a Node script in a child process and watches its output, for tests of
 * hosts, CLIs and signal handling. A `.ts` script runs from source through
 * tsx with the `@streamsuites/source` condition (tsx must be installed).
 */
export function spawnScript(
  script: string,
  args: readonly string[] = [],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): SpawnedScript {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx', '--conditions=@streamsuites/source'] : [];
  const child = spawn(process.execPath, [...loader, script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of waiters.filter((w) => stdout.includes(w.text))) waiter.resolve();
  });
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    until: (text) =>
      stdout.includes(text)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push({ text, resolve });
            void exited.then((code) => {
              if (!stdout.includes(text)) reject(new Error(`process exited (${code}) before printing "${text}"; stderr: ${stderr}`));
            });
          }),
  };
}

/**
 * Checks a package's coded errors against the "Errors" table of its README
 * (rows starting with `| \`SS_ERR_...\` |`): every exported error's key equals
 * its code, every code is documented, and nothing undefined is documented.
 * Returns the problems (empty when consistent).
 */
export function errorTableProblems(errors: Record<string, unknown>, readme: string): string[] {
  const problems: string[] = [];
  const documented = new Set([...readme.matchAll(/^\| `(SS_ERR_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));
  const defined = new Set<string>();
  for (const [key, value] of Object.entries(errors)) {
    const code = (value as { code?: unknown }).code;
    if (code !== key) problems.push(`${key}: its code is ${String(code)}`);
    defined.add(key);
    if (!documented.has(key)) problems.push(`${key}: not in the README Errors table`);
  }
  for (const code of documented) if (!defined.has(code)) problems.push(`${code}: documented but not defined`);
  if (defined.size === 0) problems.push('no error codes exported');
  return problems;
}

export { createLogger };

/** Temporary folders for tests; `removeAll()` (in `afterEach`) deletes every one made so far. */
export interface TempDirs {
  /** A new empty folder under `parent` (default: the OS temp folder). */
  make(parent?: string): string;
  removeAll(): void;
}

/**
 * ```ts
 * const temp = createTempDirs('ss-mine-');
 * afterEach(() => temp.removeAll());
 * const dir = temp.make();
 * ```
 */
export function createTempDirs(prefix = 'ss-test-'): TempDirs {
  const dirs: string[] = [];
  return {
    make(parent = tmpdir()) {
      const dir = mkdtempSync(join(parent, prefix));
      dirs.push(dir);
      return dir;
    },
    removeAll() {
      // A child killed a moment ago (Chromium) may still be writing into its folder: retry ENOTEMPTY/EBUSY briefly.
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

/** Every file under `root` (recursively), by relative path with `/`, sorted: text, or bytes with `'buffer'`. */
export function readTree(root: string): Record<string, string>;
export function readTree(root: string, encoding: 'buffer'): Record<string, Buffer>;
export function readTree(root: string, encoding: 'utf8' | 'buffer' = 'utf8'): Record<string, string | Buffer> {
  const out: Record<string, string | Buffer> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path).split('\\').join('/')] = encoding === 'buffer' ? readFileSync(path) : readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return out;
}

/** A running {@link runAtRate}: call it to stop; `done` resolves with how many were sent. */
export type RateRun = (() => void) & { done: Promise<number>; count(): number };

/**
 * Calls `send(index)` at a steady `ratePerSec` (for chat simulators): a
 * coarse timer sends however many are due, so high rates need no 1 ms
 * timers. Stops after `total` sends (omitted: runs until stopped), or when
 * `send` throws (the fake server closed).
 */
export function runAtRate(options: { ratePerSec: number; total?: number; send: (index: number) => void }): RateRun {
  if (!(options.ratePerSec > 0)) throw new RangeError(`ratePerSec must be positive, got ${options.ratePerSec}`);
  let sent = 0;
  let finish!: (n: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const started = Date.now();
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) * options.ratePerSec) / 1000);
    while (sent < due) {
      if (options.total !== undefined && sent >= options.total) return stop();
      try {
        options.send(sent);
      } catch {
        return stop();
      }
      sent++;
    }
  }, Math.max(10, Math.floor(1000 / options.ratePerSec)));
  const stop = (): void => {
    clearInterval(timer);
    finish(sent);
  };
  return Object.assign(stop, { done, count: () => sent });
}
export { Waiters, type UntilOptions } from './testing-waiters.js';
export { freeLocalPort, listenLocal } from './testing-listen.js';

/**
 * A plugin that reads what every plugin contributed to an extension point
 * (in its init, as the point's owner would): for testing what a plugin
 * contributes, e.g. `extensionProbe(streamSourcesExtensionPoint)`. Give
 * `plugin` to the kernel with the plugins under test; `values()` lists the
 * contributions once the kernel has started.
 */
export function extensionProbe<T>(point: ExtensionPoint<T>, id = 'probe'): { plugin: AnyPlugin; contributions(): Contribution<T>[]; values(): T[] } {
  const found: Contribution<T>[] = [];
  const plugin = definePlugin({
    id,
    version: '0.0.0',
    kernel: '*',
    register(reg) {
      reg.onInit({
        init({ extensions }) {
          found.push(...extensions(point));
        },
      });
    },
  });
  return { plugin, contributions: () => [...found], values: () => found.map((c) => c.value) };
}
