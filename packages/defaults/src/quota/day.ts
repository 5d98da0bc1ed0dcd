/*
 * Quota days in an IANA time zone, with nothing but Intl.DateTimeFormat (Node
 * ships full ICU, so every IANA zone and its DST rules are known; a tz
 * library would only duplicate that data).
 *
 * A quota day is a local calendar date. It ends at the first instant whose
 * local date is later: usually local 00:00, which is 23 or 25 hours after the
 * previous one on DST days, and 01:00 in zones that spring forward at
 * midnight (America/Santiago). We compute it from the zone's UTC offset and
 * verify the answer; if the verification fails (a transition close to
 * midnight) we bisect, which is exact for any rule.
 */

const DAY_MS = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localTime(ms: number, timeZone: string): LocalTime {
  const out: Record<string, number> = {};
  for (const part of format(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return out as unknown as LocalTime;
}

/** The canonical name of a zone (`utc` → `UTC`), or undefined when Intl does not know it. */
export function canonicalTimeZone(timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The local date at `ms` in `timeZone`, as `YYYY-MM-DD` (sorts chronologically). */
export function localDay(ms: number, timeZone: string): string {
  const t = localTime(ms, timeZone);
  return `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
}

/** Local wall time minus UTC at `ms`, in ms (second precision, enough for every modern zone). */
function offsetAt(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The start of the quota day after the one containing `ms`: the first
 * instant whose local date in `timeZone` is later than the local date at `ms`.
 */
export function nextLocalMidnight(ms: number, timeZone: string): number {
  const today = localDay(ms, timeZone);
  const isLater = (t: number) => localDay(t, timeZone) > today;
  const startsNextDay = (t: number) => isLater(t) && !isLater(t - 1);

  // Wall-clock midnight of the next date, read as if it were UTC.
  const t = localTime(ms, timeZone);
  const wallMidnight = Date.UTC(t.year, t.month - 1, t.day + 1);
  // Its offset may differ from today's (DST): re-read the offset at the first guess.
  const first = wallMidnight - offsetAt(ms, timeZone);
  const second = wallMidnight - offsetAt(first, timeZone);
  for (const candidate of [second, first]) {
    if (startsNextDay(candidate)) return candidate;
  }
  // Midnight falls in a DST gap or near a transition: bisect. `lo` is always
  // still today, `hi` already later; local days are at most ~25 h long.
  let lo = ms;
  let hi = ms + 2 * DAY_MS;
  while (!isLater(hi)) hi += DAY_MS;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (isLater(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
