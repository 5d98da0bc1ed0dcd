/** A failed Rumble upload: the screenshot of the page, and the coded error (redacted) the job engine sees. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { isStreamSuitesError } from '@streamsuites/kernel';
import type { ClipFile } from '../types.js';
import { SS_ERR_CLIPS_UPLOAD_FAILED } from './errors.js';
import { firstLine, isPlaywrightTimeout, type Progress, StepFailure } from './rumble-step.js';
import type { DestinationLogger, Redactor } from './shared.js';

/** A full-page screenshot into `dir` (none without one); its path, or undefined when it cannot be taken. */
export async function screenshotFailure(page: Page, file: ClipFile, dir: string | undefined, actionMs: number, log: DestinationLogger): Promise<string | undefined> {
  if (dir === undefined) return undefined;
  const path = join(dir, `rumble-${file.clipId.replace(/[^A-Za-z0-9_-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`);
  try {
    await mkdir(dir, { recursive: true });
    await page.screenshot({ path, fullPage: true, timeout: Math.min(actionMs, 10_000) });
    return path;
  } catch (error) {
    log.warn({ destination: 'rumble', clipId: file.clipId, reason: firstLine(error) }, 'cannot take a screenshot of the failed upload');
    return undefined;
  }
}

/**
 * SS_ERR_CLIPS_UPLOAD_FAILED with the reason, the step and `details.retryable`
 * (a step's own verdict; timeouts and unexpected errors are retryable).
 * Coded errors pass through as they are.
 */
export function uploadError(error: unknown, progress: Progress, file: ClipFile, screenshot: string | undefined, redactor: Redactor): Error {
  if (isStreamSuitesError(error)) return error;
  let reason: string;
  let retryable: boolean;
  let status: number | undefined;
  let cause: unknown;
  if (error instanceof StepFailure) {
    ({ reason, retryable, status } = error);
    cause = error.cause;
  } else if (isPlaywrightTimeout(error)) {
    reason = `timed out at "${progress.step}": ${firstLine(error)}`;
    retryable = true;
    cause = error;
  } else {
    reason = `at "${progress.step}": ${firstLine(error)}`;
    retryable = true;
    cause = error;
  }
  return new SS_ERR_CLIPS_UPLOAD_FAILED('Rumble', redactor.text(reason), {
    ...(cause === undefined ? {} : { cause: redactor.error(cause) }),
    details: {
      destination: 'rumble',
      clipId: file.clipId,
      step: progress.step,
      retryable,
      ...(status === undefined ? {} : { status }),
      ...(screenshot === undefined ? {} : { screenshot }),
    },
  });
}
