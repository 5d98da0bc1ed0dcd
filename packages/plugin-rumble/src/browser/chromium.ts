/** Finding and launching the Chromium that browser mode drives (never a downloaded browser build). */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { SS_ERR_RUMBLE_BROWSER } from '../errors.js';

/** Debian's Chromium; what the docs and the tests assume. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Looked up on PATH, in this order, when /usr/bin/chromium is absent. */
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/**
 * The flags of the toolchain recipe: no sandbox (containers run as root), no
 * GPU, and none of Chromium's own update, sync or first-run traffic.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The Chromium binary to run: `configured` when set (and it must exist: a
 * typo should not silently pick another browser), else /usr/bin/chromium,
 * else the first of chromium / chromium-browser / google-chrome on PATH.
 * Throws SS_ERR_RUMBLE_BROWSER naming where it looked.
 */
export function findChromium(
  creatorId: string,
  configured: string | undefined,
  lookup: { env?: NodeJS.ProcessEnv; defaultPath?: string } = {},
): string {
  const { env = process.env, defaultPath = DEFAULT_CHROMIUM_PATH } = lookup;
  if (configured !== undefined) {
    if (existsSync(configured)) return configured;
    throw new SS_ERR_RUMBLE_BROWSER(creatorId, `no Chromium at chromiumPath ${configured}`, { details: { creatorId, chromiumPath: configured } });
  }
  if (existsSync(defaultPath)) return defaultPath;
  const dirs = (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const name of PATH_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new SS_ERR_RUMBLE_BROWSER(creatorId, `no Chromium found (looked at ${defaultPath} and for ${PATH_NAMES.join(', ')} on PATH)`, {
    details: { creatorId },
  });
}

export interface LaunchOptions {
  creatorId: string;
  chromiumPath: string;
  profileDir: string;
  headless: boolean;
  timeoutMs: number;
}

/**
 * Chromium with a persistent profile: the Rumble login made once by hand
 * (headless: false) is kept in `profileDir` between runs.
 */
export async function launchPersistentChromium(options: LaunchOptions): Promise<BrowserContext> {
  const { creatorId, chromiumPath, profileDir, headless, timeoutMs } = options;
  try {
    await mkdir(profileDir, { recursive: true });
    // Loaded on first use: playwright-core costs ~600 ms at start, and most runtimes never use browser mode.
    const { chromium } = await import('playwright-core');
    return await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless,
      args: headless ? ['--headless', ...CHROMIUM_ARGS] : [...CHROMIUM_ARGS],
      timeout: timeoutMs,
      acceptDownloads: false,
      // The kernel owns the signals; stop() closes the browser.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    throw new SS_ERR_RUMBLE_BROWSER(creatorId, `cannot launch Chromium (${chromiumPath}) with profile ${profileDir}: ${firstLine(error)}`, {
      cause: error,
      details: { creatorId, chromiumPath, profileDir },
    });
  }
}

/** The first line of an error's message: playwright appends long call logs. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? message;
}
