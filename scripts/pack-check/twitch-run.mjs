// Copied into the pack-check project and run there: starts the local Twitch
// chat server from the installed @streamsuites/plugin-twitch/testing, runs
// `npx streamsuites run <manifest>` against it (the manifest reads the
// server's address from TWITCH_CHAT_URL), sends a chat command and an emote
// combo, waits for both replies, then sends SIGINT to the CLI process and
// prints the outcome as one JSON line. The CLI's own output goes to run.log.
//
// SIGINT goes to the CLI's node process, not to npx's process group: npx runs
// the bin through `sh -c`, and sh dies of a SIGINT at once, so npx would
// report 130 whatever the CLI did. Its own exit status is what we check.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { startFakeTwitchChat } from '@streamsuites/plugin-twitch/testing';

const [manifest, durationSec] = process.argv.slice(2);
const IS_WIN = process.platform === 'win32';
const CONNECT_TIMEOUT_MS = 90_000; // boot under a busy test suite on 2 cores
const REPLY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;

const fake = await startFakeTwitchChat();
const log = fs.openSync('run.log', 'w');
// POSIX: its own process group, so a failed run can be cleaned up as a whole.
const child = spawn(IS_WIN ? 'npx.cmd' : 'npx', ['--no', '--', 'streamsuites', 'run', manifest, '--duration', durationSec, '--log-level', 'warn'], {
  env: { ...process.env, TWITCH_CHAT_URL: fake.url },
  stdio: ['ignore', log, log],
  detached: !IS_WIN,
  shell: IS_WIN,
  windowsHide: true,
});
const exited = new Promise((resolve) => {
  child.once('exit', (code, signal) => resolve({ code, signal }));
  child.once('error', (error) => resolve({ code: null, signal: null, error: error.message }));
});
const result = { replies: [], exit: null, stoppedBy: null };

/** The pids of `pid`'s children (Linux /proc, else ps). */
function childrenOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
    return table.trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number)).filter(([, ppid]) => ppid === pid).map(([p]) => p);
  }
}

/** The CLI's node process: the last descendant of npx (npm exec -> sh -> node). */
function cliProcess(pid) {
  for (let depth = 0; depth < 5; depth++) {
    const children = childrenOf(pid);
    if (children.length === 0) return pid;
    pid = children[children.length - 1];
  }
  return pid;
}

/** Waits for a condition on the fake server, failing early if the CLI exits first. */
async function until(predicate, what, timeoutMs) {
  const early = exited.then((exit) => {
    throw new Error(`streamsuites run exited (${JSON.stringify(exit)}) before ${what}`);
  });
  await Promise.race([fake.until(predicate, { timeoutMs, message: what }), early]);
}

try {
  await until(() => fake.clients().some((c) => c.registered && c.channels.includes('alice')), 'the bot joined #alice', CONNECT_TIMEOUT_MS);
  fake.say('alice', 'viewer', '!ping');
  await until(() => fake.sent('alice').length >= 1, 'the reply to !ping', REPLY_TIMEOUT_MS);
  // Kappa twice: the emoteCombo trigger of the third-party plugin (count 2).
  fake.say('alice', 'anna', 'Kappa', { emotes: '25:0-4' });
  fake.say('alice', 'ben', 'Kappa', { emotes: '25:0-4' });
  await until(() => fake.sent('alice').length >= 2, 'the emote combo reply', REPLY_TIMEOUT_MS);
  result.replies = fake.sent('alice');
  if (IS_WIN) {
    result.stoppedBy = 'duration'; // no SIGINT for a console child on Windows: --duration ends it
  } else {
    result.stoppedBy = 'SIGINT';
    process.kill(cliProcess(child.pid), 'SIGINT');
  }
  const timer = setTimeout(() => {
    process.stderr.write(`streamsuites run did not stop within ${STOP_TIMEOUT_MS / 1000}s of ${result.stoppedBy}; killing it\n`);
    if (!IS_WIN) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  }, IS_WIN ? Number(durationSec) * 1000 + STOP_TIMEOUT_MS : STOP_TIMEOUT_MS);
  result.exit = await exited;
  clearTimeout(timer);
} catch (error) {
  result.error = error.message;
  if (child.exitCode === null && child.signalCode === null) {
    if (!IS_WIN) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  }
  result.exit = await exited;
} finally {
  result.replies = fake.sent('alice');
  await fake.close();
}
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(result.error === undefined ? 0 : 1);
