/**
 * The demo's terminal view as pure functions of a `ViewState`: no I/O, no
 * clock, so tests render to a string and look at it.
 */
import type { ActivityLine, ConnectionStatus, LimitBar, PlatformRow, ViewState } from './state.js';

export interface RenderOptions {
  /** Terminal columns: every line is cut to fit (default 100). */
  width?: number;
  /** Terminal rows: lines beyond are dropped, the oldest activity first (default: no limit). */
  height?: number;
  /** ANSI colours (default false). */
  color?: boolean;
}

type Style = 'bold' | 'dim' | 'green' | 'yellow' | 'red' | 'cyan';

/** A piece of a line and how it looks. */
type Segment = readonly [text: string, style?: Style];
type Line = Segment[];

const ANSI: Record<Style, string> = {
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  red: '\x1b[31m',
  cyan: '\x1b[36m',
};
const RESET = '\x1b[0m';

const STATUS: Record<ConnectionStatus, { mark: string; style: Style }> = {
  starting: { mark: '·', style: 'dim' },
  connecting: { mark: '○', style: 'yellow' },
  connected: { mark: '●', style: 'green' },
  reconnecting: { mark: '◌', style: 'yellow' },
  offline: { mark: '○', style: 'dim' },
  failed: { mark: '✖', style: 'red' },
  stopped: { mark: '■', style: 'dim' },
};

const BAR_WIDTH = 20;

/** The full screen: header, creators × platforms table, totals, limits, last actions. */
export function renderScreen(state: ViewState, options: RenderOptions = {}): string {
  const width = Math.max(20, options.width ?? 100);
  const lines: Line[] = [];
  const tail: Line[] = [];

  lines.push(header(state));
  lines.push(dashboardLine(state));
  if (state.logFile !== undefined) lines.push([['Logs       ', 'dim'], [state.logFile]]);
  lines.push([]);
  lines.push(...table(state.rows));
  lines.push([]);
  lines.push(...totalsLines(state));
  lines.push(
    state.lastError === undefined ? [['Last error ', 'dim'], ['none', 'dim']] : [['Last error ', 'dim'], [clean(state.lastError), 'red']],
  );
  lines.push([]);
  lines.push(...limitLines(state, width));
  lines.push([]);
  lines.push([['Last actions', 'bold']]);
  if (state.recent.length === 0) tail.push([['  nothing yet: triggers fire when viewers type !hello or gg', 'dim']]);
  // Newest first, so a short terminal keeps the newest.
  for (const activity of [...state.recent].reverse()) tail.push(activityLine(activity));

  let all = [...lines, ...tail];
  if (options.height !== undefined) all = all.slice(0, Math.max(1, options.height));
  return all.map((line) => paint(line, width, options.color ?? false)).join('\n');
}

/** One plain line for logs and CI (no colours, no cursor movement). */
export function renderStatusLine(state: ViewState): string {
  const parts = [`[demo ${clock(state.now - state.startedAt)} ${state.phase}]`];
  for (const row of state.rows) {
    parts.push(`${clean(row.creatorId)}/${clean(row.platform)} ${row.status} ${row.messages} msgs ${row.ratePerSec.toFixed(1)}/s ${row.triggers} triggers`);
  }
  const { actions } = state.totals;
  parts.push(`triggers ${state.totals.triggers}`);
  parts.push(`actions ${actions.executed} executed ${actions.dryRun} dry-run ${actions.failed} failed`);
  const busiest = [...state.limits.bars].sort((a, b) => b.used / b.capacity - a.used / a.capacity)[0];
  if (busiest !== undefined) {
    parts.push(`${state.limits.source === 'quotas' ? 'quota' : 'rate limit'} ${busiest.used}/${busiest.capacity} ${clean(busiest.label)}`);
  }
  parts.push(`errors ${state.totals.errors}`);
  if (state.dashboardUrl !== undefined) parts.push(`dashboard ${state.dashboardUrl}`);
  return parts.join(' | ');
}

/** `[█████░░░░░░░░░░░░▒▒▒]`: used, free, and a quota's buffer at the end. */
export function renderBar(used: number, capacity: number, width: number = BAR_WIDTH, reserved = 0): string {
  if (capacity <= 0) return `[${' '.repeat(width)}]`;
  const filled = Math.min(width, Math.max(0, Math.round((used / capacity) * width)));
  const bufferCells = Math.min(width - filled, Math.round((Math.max(0, reserved) / capacity) * width));
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled - bufferCells)}${'▒'.repeat(bufferCells)}]`;
}

/** `m:ss` (or `h:mm:ss`) of a duration in ms. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

// ── pieces ──────────────────────────────────────────────────────────────────

function header(state: ViewState): Line {
  const elapsed = state.now - state.startedAt;
  const phase: Segment =
    state.phase === 'running'
      ? ['running', 'green']
      : state.phase === 'starting'
        ? ['starting', 'yellow']
        : [state.phase, 'yellow'];
  const creators = new Set(state.rows.map((r) => r.creatorId)).size;
  const until =
    state.durationSec === undefined
      ? ' · Ctrl-C to stop'
      : ` · stops in ${clock(Math.ceil(Math.max(0, state.durationSec * 1000 - elapsed) / 1000) * 1000)}`;
  return [['StreamSuites demo', 'bold'], [' · '], phase, [` ${clock(elapsed)} · ${creators} creator${creators === 1 ? '' : 's'}${until}`]];
}

function dashboardLine(state: ViewState): Line {
  const label: Segment = ['Dashboard  ', 'dim'];
  if (state.dashboardUrl !== undefined) {
    return [
      label,
      [state.dashboardUrl, 'cyan'],
      ...(state.dashboardNote === undefined ? [] : [[` (${clean(state.dashboardNote)})`, 'yellow'] as const]),
      ...(state.dashboardCreatorUrl === undefined ? [] : [['  ·  ', 'dim'] as const, [state.dashboardCreatorUrl, 'cyan'] as const]),
      [`  ${state.exportFiles} snapshot files in ${state.exportsRoot}`, 'dim'],
    ];
  }
  if (state.dashboardProblem !== undefined) return [label, [`not served: ${clean(state.dashboardProblem)}`, 'yellow']];
  return [label, ['waiting for the first snapshots…', 'dim']];
}

const COLUMNS = [
  { title: 'CREATOR', width: 12, align: 'left' },
  { title: 'PLATFORM', width: 9, align: 'left' },
  { title: 'STATUS', width: 12, align: 'left' },
  { title: 'MSGS', width: 7, align: 'right' },
  { title: 'MSG/S', width: 6, align: 'right' },
  { title: 'TRIGGERS', width: 9, align: 'right' },
  { title: 'ERRORS', width: 7, align: 'right' },
] as const;

function cell(text: string, index: number): string {
  const column = COLUMNS[index]!;
  const cut = text.length > column.width ? `${text.slice(0, column.width - 1)}…` : text;
  return column.align === 'left' ? cut.padEnd(column.width) : cut.padStart(column.width);
}

function table(rows: readonly PlatformRow[]): Line[] {
  const head: Line = [[COLUMNS.map((c, i) => cell(c.title, i)).join(' '), 'bold']];
  if (rows.length === 0) return [head, [['  no creators', 'dim']]];
  return [
    head,
    ...rows.map((row): Line => {
      const status = STATUS[row.status];
      return [
        [`${cell(clean(row.creatorId), 0)} ${cell(clean(row.platform), 1)} `],
        [cell(`${status.mark} ${row.status}`, 2), status.style],
        [` ${cell(String(row.messages), 3)} ${cell(row.ratePerSec.toFixed(1), 4)} ${cell(String(row.triggers), 5)} `],
        [cell(String(row.errors), 6), row.errors > 0 ? 'red' : undefined],
      ];
    }),
  ];
}

function totalsLines(state: ViewState): Line[] {
  const { actions, errors, messages, triggers } = state.totals;
  return [
    [
      ['Totals     ', 'dim'],
      [`${messages} messages · ${triggers} triggers fired · `],
      [`${errors} error${errors === 1 ? '' : 's'}`, errors > 0 ? 'red' : 'green'],
    ],
    [
      ['Actions    ', 'dim'],
      [`${actions.executed} executed · ${actions.dryRun} dry-run · `],
      [`${actions.failed} failed`, actions.failed > 0 ? 'red' : undefined],
      ...(actions.cancelled > 0 ? [[` · ${actions.cancelled} cancelled at stop`] as const] : []),
    ],
  ];
}

function limitLines(state: ViewState, width: number): Line[] {
  const { source, bars } = state.limits;
  if (source === 'none' || bars.length === 0) return [[['Limits', 'bold'], ['  no quota or rate limit in use yet', 'dim']]];
  const title: Line =
    source === 'quotas'
      ? [['Quotas', 'bold'], ['  units used today / daily (▒ = buffer kept for essential calls)', 'dim']]
      : [['Rate limits', 'bold'], ['  no quotas configured; sends in the current window / allowed', 'dim']];
  const labelWidth = Math.min(44, Math.max(...bars.map((b) => clean(b.label).length)));
  // The bar gives way first on a narrow terminal, so the numbers stay visible.
  const suffix = Math.max(...bars.map((b) => limitSuffix(b).length));
  const barWidth = Math.max(6, Math.min(BAR_WIDTH, width - 2 - labelWidth - 1 - 2 - suffix));
  return [title, ...bars.map((bar) => limitLine(bar, labelWidth, barWidth))];
}

function limitSuffix(bar: LimitBar): string {
  return ` ${bar.used}/${bar.capacity}${bar.note === undefined ? '' : `  ${clean(bar.note)}`}`;
}

function limitLine(bar: LimitBar, labelWidth: number, barWidth: number): Line {
  const ratio = bar.capacity > 0 ? bar.used / bar.capacity : 0;
  const label = clean(bar.label);
  const style: Style = ratio >= 1 ? 'red' : ratio >= 0.8 ? 'yellow' : 'green';
  return [
    [`  ${(label.length > labelWidth ? `${label.slice(0, labelWidth - 1)}…` : label).padEnd(labelWidth)} `],
    [renderBar(bar.used, bar.capacity, barWidth, bar.reserved ?? 0), style],
    [limitSuffix(bar)],
  ];
}

function activityLine(activity: ActivityLine): Line {
  const style: Style | undefined = activity.kind === 'error' ? 'red' : activity.kind === 'trigger' ? 'yellow' : undefined;
  return [
    [`  ${timeOfDay(activity.at)} `, 'dim'],
    [`${clean(activity.creatorId ?? '-').padEnd(8)} `, 'bold'],
    [clean(activity.text), style],
  ];
}

function timeOfDay(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

// ── text ────────────────────────────────────────────────────────────────────

/**
 * Chat text is untrusted: control characters (ESC and friends) would move the
 * cursor or recolour the terminal, so they become `?`; line breaks, spaces.
 */
export function clean(text: string): string {
  return text.replace(/[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/** Columns a code point takes in a terminal: 0 (combining, joiners), 2 (CJK, emoji) or 1. */
export function charWidth(codePoint: number): number {
  if ((codePoint >= 0x300 && codePoint <= 0x36f) || codePoint === 0x200d || (codePoint >= 0xfe00 && codePoint <= 0xfe0f)) return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Display columns of a string without escape sequences. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0)!);
  return width;
}

/** Joins a line's segments, cut at `width` columns (an ellipsis marks the cut), coloured or not. */
function paint(line: Line, width: number, color: boolean): string {
  const total = line.reduce((n, [text]) => n + textWidth(text), 0);
  const budget = total <= width ? width : width - 1;
  let out = '';
  let used = 0;
  for (const [text, style] of line) {
    let piece = '';
    let cut = false;
    for (const ch of text) {
      const w = charWidth(ch.codePointAt(0)!);
      if (used + w > budget) {
        cut = true;
        break;
      }
      piece += ch;
      used += w;
    }
    out += color && style !== undefined && piece.length > 0 ? `${ANSI[style]}${piece}${RESET}` : piece;
    if (cut) return `${out}…`;
  }
  return out.trimEnd();
}
