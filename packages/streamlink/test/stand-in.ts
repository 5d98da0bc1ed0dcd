import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A stand-in `streamlink`: a small Node script written to a temp folder. It
 * records its argv and pid (JSON, one file each) and then runs `body`, which
 * sees `args` (argv without node and the script).
 */
export function writeStandIn(dir: string, body: string, name = 'streamlink'): StandIn {
  const file = path.join(dir, name);
  const argvFile = path.join(dir, `${name}.argv.json`);
  const pidFile = path.join(dir, `${name}.pid`);
  writeFileSync(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.writeFileSync(${JSON.stringify(argvFile)}, JSON.stringify(args));
fs.writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
${body}
`,
  );
  chmodSync(file, 0o755);
  return {
    path: file,
    argv: () => (existsSync(argvFile) ? (JSON.parse(readFileSync(argvFile, 'utf8')) as string[]) : undefined),
    pid: () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined),
  };
}

export interface StandIn {
  path: string;
  /** The argv of its last run, or undefined when it never ran. */
  argv(): string[] | undefined;
  pid(): number | undefined;
}

/** Prints `url` when called as `--stream-url <page> <quality>` (after any extra args), else fails loudly. */
export function printsUrl(url: string): string {
  return `
const i = args.indexOf('--stream-url');
if (i < 0 || args.length !== i + 3 || !/^https?:\\/\\//.test(args[i + 1])) {
  console.log('error: stand-in called with ' + JSON.stringify(args));
  process.exit(2);
}
console.log(${JSON.stringify(url)});
`;
}

/** Never exits by itself, and ignores SIGTERM: only SIGKILL stops it. */
export const HANGS = `
process.on('SIGTERM', () => {});
setInterval(() => {}, 1 << 30);
`;

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
