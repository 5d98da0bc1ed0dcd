/** What the Rumble page steps share: the settings they read, the progress they report, and how they fail. */
import { oneLine, type Backoff, type DestinationLogger, type Redactor } from './shared.js';

/** The page's elements (defaults in `RUMBLE_SELECTORS`, overridable per destination). */
export interface PageSelectors {
  username: string;
  password: string;
  loginSubmit: string;
  loginError: string;
  fileInput: string;
  title: string;
  description: string;
  channel: string;
  submit: string;
  consents: readonly string[];
  finalSubmit: string;
  published: string;
  error: string;
}

/** The destination's settings, as the page steps read them. */
export interface StepSettings {
  uploadUrl: string;
  channelUrl: string;
  username: string | undefined;
  password: string | undefined;
  selectors: PageSelectors;
  navigationMs: number;
  actionMs: number;
  publishMs: number;
  navigationAttempts: number;
  navigationBackoff: Backoff;
  redactor: Redactor;
  log: DestinationLogger;
}

/** Where an upload is: the step named in a failure, and the status of the upload page's last load. */
export interface Progress {
  step: string;
  /** Status of the last page load of the upload page. */
  pageStatus?: number;
}

/** A failure with a reason fit for the error message (not yet redacted). */
export class StepFailure extends Error {
  constructor(
    readonly reason: string,
    readonly retryable: boolean,
    options?: { cause?: unknown; status?: number },
  ) {
    super(reason, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
  }
  readonly status: number | undefined;
}

/** Resolves true when `promise` does, false when it rejects (a lost race, a timeout, a closed page). */
export function quiet(promise: Promise<unknown>): Promise<boolean> {
  return promise.then(
    () => true,
    () => false,
  );
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return oneLine(message.split('\n')[0] ?? message, 300);
}

/** Playwright's TimeoutError, recognised by name: importing playwright-core for its class would load it at start. */
export function isPlaywrightTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}
