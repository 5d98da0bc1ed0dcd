/** The Chromium a Rumble upload runs in, and the session file that keeps its cookies between uploads. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { SS_ERR_CLIPS_CHROMIUM_MISSING } from './errors.js';
import { firstLine } from './rumble-step.js';
import { type DestinationLogger, type Redactor, writeFileAtomic } from './shared.js';

/**
 * Chromium flags of the toolchain recipe (DESIGN.md section 7). Playwright's
 * `launch` adds a fresh temporary `--user-data-dir` itself; `--headless` is
 * added when `headless` is on.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(chromiumPath: string, headless: boolean, timeoutMs: number, redactor: Redactor): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new SS_ERR_CLIPS_CHROMIUM_MISSING(chromiumPath, 'no such file');
  try {
    // Loaded on first use: playwright-core costs ~600 ms at start, and most runtimes never publish to Rumble.
    const { chromium } = await import('playwright-core');
    return await chromium.launch({
      executablePath: chromiumPath,
      headless,
      args: headless ? ['--headless', ...CHROMIUM_ARGS] : [...CHROMIUM_ARGS],
      timeout: timeoutMs,
      // The kernel owns the signals; an abort closes the browser.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    throw new SS_ERR_CLIPS_CHROMIUM_MISSING(chromiumPath, firstLine(error), { cause: redactor.error(error) });
  }
}

/** A fresh context, with the saved session's cookies when `sessionFile` is readable. */
export async function newSessionContext(browser: Browser, sessionFile: string | undefined, log: DestinationLogger): Promise<BrowserContext> {
  if (sessionFile !== undefined && existsSync(sessionFile)) {
    try {
      return await browser.newContext({ storageState: sessionFile, acceptDownloads: false });
    } catch (error) {
      log.warn({ destination: 'rumble', sessionFile, reason: firstLine(error) }, 'Rumble session file unreadable; starting without it');
    }
  }
  return browser.newContext({ acceptDownloads: false });
}

export async function saveSession(context: BrowserContext, sessionFile: string | undefined, log: DestinationLogger): Promise<void> {
  if (sessionFile === undefined) return;
  try {
    const state = await context.storageState();
    await mkdir(dirname(sessionFile), { recursive: true });
    await writeFileAtomic(sessionFile, JSON.stringify(state), 0o600);
  } catch (error) {
    log.warn({ destination: 'rumble', sessionFile, reason: firstLine(error) }, 'cannot save the Rumble session');
  }
}
