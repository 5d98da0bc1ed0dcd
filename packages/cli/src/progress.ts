import type { CliIO } from './io.js';

/** Where a progress display writes: a terminal redraws one line, anything else gets plain lines. */
export interface ProgressSink {
  write: (text: string) => void;
  isTTY?: boolean;
  /** Terminal width (default 80). */
  columns?: number;
}

export interface ProgressOptions {
  /** What is being done, first on every line: `replay`, `import`, `publish-state`. */
  label: string;
  /** Units of work in all; absent or 0: unknown (a counter instead of a bar). */
  total?: number;
  /** What is counted: `events`, `files`. */
  unit?: string;
  /** Terminal redraws at most this often (default 100 ms), so a hot loop never floods the terminal. */
  intervalMs?: number;
  /** Plain lines with an unknown total: one every this many units (default 10,000). */
  every?: number;
  /** Off a terminal, a known total under this prints nothing at all: a short job's output stays as it was (default 0). */
  quietBelow?: number;
  now?: () => number;
}

export interface Progress {
  /** `n` more units done (default 1); `detail` names the current item, e.g. a file. */
  tick(n?: number, detail?: string): void;
  /** A message that must not be drawn over (a warning): the bar line is cleared first, then redrawn. */
  note(text: string): void;
  /** The final line (once; later calls do nothing): the bar at its end on a terminal, a last plain line otherwise. */
  done(summary?: string): void;
}

const CLEAR_LINE = '\x1b[K';

/**
 * One progress display: on a terminal a single line redrawn in place
 * (`\r`, cut to the width, throttled), otherwise a plain line at every
 * tenth of the total (or every `every` units when the total is unknown), so
 * logs of a cron job or CI stay short and readable.
 */
export function createProgress(sink: ProgressSink, options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  const every = options.every ?? 10_000;
  const unit = options.unit ?? 'items';
  const total = options.total !== undefined && options.total > 0 ? options.total : undefined;
  const quiet = sink.isTTY !== true && total !== undefined && total < (options.quietBelow ?? 0);
  const started = now();
  let count = 0;
  let detail = '';
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let lastStep = 0;
  let finished = false;

  const counts = () => (total === undefined ? `${count} ${unit}` : `${Math.min(count, total)}/${total} ${unit}`);
  const percent = () => (total === undefined ? 0 : Math.min(100, Math.floor((count / total) * 100)));

  const barLine = (suffix: string): string => {
    const width = Math.max(20, sink.columns ?? 80) - 1; // the last column would wrap on some terminals
    const head = `${options.label} `;
    const stats = ` ${total === undefined ? counts() : `${String(percent()).padStart(3)}% ${counts()}`}`;
    const tail = `${stats}${suffix === '' ? '' : ` ${suffix}`}`;
    let line = head + tail.slice(1);
    if (total !== undefined) {
      // The bar shares the room left with the suffix (a file name), which is cut first.
      const room = width - head.length - stats.length - 2;
      const barWidth = Math.min(30, suffix === '' ? room : Math.floor(room / 2));
      if (barWidth >= 5) {
        const filled = Math.round((barWidth * Math.min(count, total)) / total);
        line = `${head}[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${tail}`;
      }
    }
    return line.length > width ? `${line.slice(0, width - 1)}…` : line;
  };

  const draw = () => {
    sink.write(`\r${barLine(detail)}${CLEAR_LINE}`);
    drawn = true;
    lastDraw = now();
  };

  const plain = (suffix: string) => sink.write(`${options.label}: ${total === undefined ? counts() : `${percent()}% (${counts()})`}${suffix === '' ? '' : ` ${suffix}`}\n`);

  return {
    tick(n = 1, item) {
      if (finished || quiet) return;
      count += n;
      if (item !== undefined) detail = item;
      if (sink.isTTY === true) {
        if (now() - lastDraw >= interval) draw();
        return;
      }
      const step = total === undefined ? Math.floor(count / every) : Math.floor((Math.min(count, total) * 10) / total);
      if (step > lastStep) {
        lastStep = step;
        plain(detail);
      }
    },
    note(text) {
      if (sink.isTTY === true && drawn && !finished) {
        sink.write(`\r${CLEAR_LINE}${text.endsWith('\n') ? text : `${text}\n`}`);
        draw();
        return;
      }
      sink.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    done(summary) {
      if (finished) return;
      finished = true;
      if (quiet) return;
      const seconds = ((now() - started) / 1000).toFixed(1);
      const end = summary ?? `done in ${seconds} s`;
      if (sink.isTTY === true) {
        sink.write(`\r${barLine(end)}${CLEAR_LINE}\n`);
        return;
      }
      plain(end);
    },
  };
}

/** A progress display on the CLI's stderr (stdout stays for results and `--json`). */
export function cliProgress(io: CliIO, options: ProgressOptions): Progress {
  return createProgress({ write: io.stderr, isTTY: io.stderrTTY !== undefined, columns: io.stderrTTY?.columns ?? 80 }, options);
}
