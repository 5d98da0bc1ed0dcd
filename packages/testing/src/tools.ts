import { existsSync } from 'node:fs';

/** An external program some tests need (a browser, a media tool). */
export interface ExternalTool {
  /** What it is, for messages: `Chromium`. */
  name: string;
  /** Where the tests look for it: `/usr/bin/chromium`. */
  path: string;
  /** How to install it: `apt-get install chromium`. */
  install: string;
}

/**
 * Whether `tool` is installed, for `describe.skipIf(!toolAvailable(tool))`.
 * Under CI (`CI=true`: the set-up installs every tool) a missing tool throws,
 * so its tests fail instead of being skipped without a word; elsewhere the
 * skip is explained on stderr.
 */
export function toolAvailable(tool: ExternalTool, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (existsSync(tool.path)) return true;
  const why = `${tool.name} is missing (${tool.path}); install it with: ${tool.install}`;
  if (env.CI === 'true' || env.CI === '1') throw new Error(`${why}. Under CI, tests that need it fail instead of being skipped.`);
  process.stderr.write(`[tests] skipping the ${tool.name} tests: ${why}\n`);
  return false;
}

/** Debian's Chromium, which playwright-core drives in the browser tests. */
export const CHROMIUM: ExternalTool = { name: 'Chromium', path: '/usr/bin/chromium', install: 'apt-get install chromium (npm test does it)' };
