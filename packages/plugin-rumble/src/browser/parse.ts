/** Turning what the observer read off one chat row into a RumbleChatEntry. */
import type { RumbleChatEntry } from '../types.js';

/** One row as the in-page observer reports it (plain strings: it crosses the page boundary as JSON). */
export interface RawRow {
  /** The row's `data-message-id`, when it has one. */
  id: string | null;
  username: string | null;
  text: string | null;
  /** `alt` (else `title`) of each badge image. */
  badges: string[];
  /** The rant price text (`$2`), when the row has a price element. */
  price: string | null;
}

/** One call of the observer's binding. */
export interface ObserverReport {
  /** Rows added since the last call, in insertion order. */
  rows: RawRow[];
  /** Rows it could not use (not the shape above: the binding is callable by any script on the page). */
  invalid: number;
  /** Set when the page replaced the chat list: the new list's rows, taken as history. */
  relisted?: number;
}

const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';

function isRawRow(value: unknown): value is RawRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return (
    isStringOrNull(row.id) &&
    isStringOrNull(row.username) &&
    isStringOrNull(row.text) &&
    isStringOrNull(row.price) &&
    Array.isArray(row.badges) &&
    row.badges.every((badge) => typeof badge === 'string')
  );
}

/** Checks what arrived through the binding, row by row. */
export function readReport(payload: unknown): ObserverReport {
  const report: ObserverReport = { rows: [], invalid: 0 };
  if (typeof payload !== 'object' || payload === null) return { rows: [], invalid: 1 };
  const { rows, relisted } = payload as { rows?: unknown; relisted?: unknown };
  if (typeof relisted === 'number' && Number.isInteger(relisted) && relisted >= 0) report.relisted = relisted;
  if (!Array.isArray(rows)) return { ...report, invalid: 1 };
  for (const row of rows) {
    if (isRawRow(row)) report.rows.push(row);
    else report.invalid++;
  }
  return report;
}

/**
 * Badge alt texts the page shows, mapped to the names the Live Stream API
 * uses, so both sources give one badge one name. Anything else is its alt
 * text lowercased with spaces as dashes (`Supporter+` → `supporter+`).
 */
const BADGE_NAMES: Readonly<Record<string, string>> = {
  'rumble premium user': 'premium',
  premium: 'premium',
  admin: 'admin',
  moderator: 'moderator',
  verified: 'verified',
  'verified user': 'verified',
};

export function badgeName(alt: string): string | undefined {
  const key = alt.trim().toLowerCase().replace(/\s+/g, ' ');
  if (key === '') return undefined;
  return BADGE_NAMES[key] ?? key.replace(/ /g, '-');
}

/**
 * Cents from a rant price as the page prints it: `$2` → 200, `$1.50` → 150,
 * `$1,000` → 100000. Undefined when it is not a dollar amount.
 */
export function priceCents(price: string): number | undefined {
  const match = /^\s*(?:US)?\$\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(?:USD)?\s*$/i.exec(price);
  if (match === null) return undefined;
  const dollars = Number(match[1]!.replace(/,/g, ''));
  const cents = match[2] === undefined ? 0 : Number(match[2].padEnd(2, '0'));
  const total = dollars * 100 + cents;
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Which required part of a row is missing, or the entry. */
export type RowResult =
  | { ok: true; entry: RumbleChatEntry; badPrice?: string }
  | { ok: false; missing: 'username' | 'messageText' };

export function toEntry(row: RawRow): RowResult {
  if (row.username === null) return { ok: false, missing: 'username' };
  if (row.text === null) return { ok: false, missing: 'messageText' };
  const badges: string[] = [];
  for (const alt of row.badges) {
    const name = badgeName(alt);
    if (name !== undefined && !badges.includes(name)) badges.push(name);
  }
  const entry: RumbleChatEntry = { source: 'browser', username: row.username, text: row.text, badges };
  if (row.id !== null && row.id !== '') entry.platformId = row.id;
  if (row.price !== null) {
    const amountCents = priceCents(row.price);
    // A price we cannot read still delivers the message; the caller counts and logs it.
    if (amountCents === undefined) return { ok: true, entry, badPrice: row.price };
    entry.rant = { amountCents };
  }
  return { ok: true, entry };
}
