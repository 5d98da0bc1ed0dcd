/**
 * @streamsuites/streamlink/testing — a stand-in `streamlink` program for
 * tests: a small Node script written to a folder, which records every call's
 * argv and pid and then does what the test asked (print a URL, fail, hang).
 * Never for production.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type StandInBehaviour =
  /** Prints this URL when called as `[extra args] --stream-url <http(s) page> <quality>`; else exits 2 with an error line. */
  | { prints: string }
  /** Prints `output` (on stdout, like streamlink --stream-url does) and exits with `exitCode`. */
  | { fails: { exitCode: number; output: string } }
  /** Never exits by itself and ignores SIGTERM: only SIGKILL stops it. */
  | { hangs: true }
  /** Any Node code; `args` is its argv (without node and the script), `fs` is node:fs. */
  | { script: string };

export interface StandInStreamlink {
  /** The program: pass it as `path` (or put its folder first on PATH). */
  path: string;
  /** The argv of every call so far, oldest first. */
  calls(): string[][];
  /** The pid of the last call, or undefined when it never ran. */
  lastPid(): number | undefined;
}

export function writeStandInStreamlink(dir: string, behaviour: StandInBehaviour, name = 'streamlink'): StandInStreamlink {
  const file = path.join(dir, name);
  const callsFile = path.join(dir, `${name}.calls.jsonl`);
  const pidFile = path.join(dir, `${name}.pid`);
  writeFileSync(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(callsFile)}, JSON.stringify(args) + '\\n');
fs.writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
${body(behaviour)}
`,
  );
  chmodSync(file, 0o755);
  return {
    path: file,
    calls: () =>
      existsSync(callsFile)
        ? readFileSync(callsFile, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => JSON.parse(l) as string[])
        : [],
    lastPid: () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined),
  };
}

function body(behaviour: StandInBehaviour): string {
  if ('prints' in behaviour) {
    return `
const i = args.indexOf('--stream-url');
if (i < 0 || args.length !== i + 3 || !/^https?:\\/\\//.test(args[i + 1])) {
  console.log('error: stand-in streamlink called with ' + JSON.stringify(args));
  process.exit(2);
}
console.log(${JSON.stringify(behaviour.prints)});
`;
  }
  if ('fails' in behaviour) {
    return `console.log(${JSON.stringify(behaviour.fails.output)}); process.exitCode = ${Number(behaviour.fails.exitCode)};`;
  }
  if ('hangs' in behaviour) {
    return `process.on('SIGTERM', () => {}); setInterval(() => {}, 1 << 30);`;
  }
  return behaviour.script;
}

/** True while a process with this pid exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

