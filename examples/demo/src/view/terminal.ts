/**
 * Puts the view on a terminal: a live screen redrawn in place on a TTY, or a
 * status line every few seconds anywhere else (CI, pipes, `--plain`).
 */
import { renderScreen, renderStatusLine } from './render.js';
import type { ViewState } from './state.js';

/** The part of `process.stdout` the views use (a test passes its own). */
export interface ViewOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

export interface DemoView {
  start(): void;
  /** Draws once more if needed and gives the terminal back as it was. Idempotent. */
  stop(): void;
}

/** Alternate screen, cursor hidden, cleared: the shell's screen comes back untouched on exit. */
export const ENTER_SCREEN = '\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J';
/** Cursor shown, main screen back. */
export const LEAVE_SCREEN = '\x1b[?25h\x1b[?1049l';

export interface TerminalViewOptions {
  /** Redraw interval; 250 ms = at most 4 frames a second (default). */
  intervalMs?: number;
  /** ANSI colours (default: on unless NO_COLOR is set). */
  color?: boolean;
}

/**
 * Redraws the screen in place at most every `intervalMs`, and only when it
 * changed. Uses the alternate screen so the shell's scrollback is left alone,
 * and restores the cursor on stop() and on process exit (even a forced one).
 */
export class TerminalView implements DemoView {
  readonly #out: ViewOutput;
  readonly #snapshot: () => ViewState;
  readonly #intervalMs: number;
  readonly #color: boolean;
  #timer: NodeJS.Timeout | undefined;
  #last = '';
  #active = false;
  readonly #onResize = () => {
    this.#last = '';
    this.#out.write('\x1b[2J');
    this.frame();
  };
  readonly #onExit = () => this.stop();

  constructor(out: ViewOutput, snapshot: () => ViewState, options: TerminalViewOptions = {}) {
    this.#out = out;
    this.#snapshot = snapshot;
    this.#intervalMs = options.intervalMs ?? 250;
    this.#color = options.color ?? process.env.NO_COLOR === undefined;
  }

  start(): void {
    if (this.#active) return;
    this.#active = true;
    this.#out.write(ENTER_SCREEN);
    process.once('exit', this.#onExit);
    this.#out.on?.('resize', this.#onResize);
    this.frame();
    this.#timer = setInterval(() => this.frame(), this.#intervalMs);
  }

  /** Renders now; writes only when the screen changed. */
  frame(): void {
    if (!this.#active) return;
    const text = renderScreen(this.#snapshot(), {
      width: this.#out.columns ?? 100,
      ...(this.#out.rows === undefined ? {} : { height: this.#out.rows }),
      color: this.#color,
    });
    if (text === this.#last) return;
    this.#last = text;
    // Home, each line then clear-to-end-of-line, then clear below: no flicker, no leftovers.
    this.#out.write(`\x1b[H${text.split('\n').join('\x1b[K\n')}\x1b[K\x1b[J`);
  }

  stop(): void {
    if (!this.#active) return;
    this.#active = false;
    clearInterval(this.#timer);
    this.#out.off?.('resize', this.#onResize);
    process.off('exit', this.#onExit);
    this.#out.write(LEAVE_SCREEN);
  }
}

export interface PlainViewOptions {
  /** Status line interval (default 5000 ms). */
  intervalMs?: number;
}

/** One status line every few seconds; nothing else touches the terminal. */
export class PlainView implements DemoView {
  readonly #out: ViewOutput;
  readonly #snapshot: () => ViewState;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(out: ViewOutput, snapshot: () => ViewState, options: PlainViewOptions = {}) {
    this.#out = out;
    this.#snapshot = snapshot;
    this.#intervalMs = options.intervalMs ?? 5000;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.line(), this.#intervalMs);
    this.#timer.unref();
  }

  line(): void {
    this.#out.write(`${renderStatusLine(this.#snapshot())}\n`);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
