/**
 * RFC 3339 `date-time` parsing. YouTube sends several shapes in one API:
 * `2018-06-22T15:25:11.777Z`, `2021-06-09T15:40:52.765983+00:00`,
 * `2023-03-31T15:27:16Z`. `Date.parse` accepts those but also accepts a lot
 * that is not RFC 3339 (and differs between engines), so this is strict.
 */

// full-date "T" full-time; the T and Z may be lowercase (RFC 3339 §5.6 note),
// a space instead of T is allowed by the same note.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Milliseconds since the epoch, or `undefined` when `value` is not an RFC 3339
 * date-time (wrong shape, out-of-range field, or longer than 40 characters).
 * Fractions beyond milliseconds are truncated; a leap second (`:60`) counts as
 * the first millisecond of the next minute minus one, i.e. `:59.999`.
 */
export function parseRfc3339(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const m = RFC3339.exec(value);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  let sec = second;
  if (sec === 60) {
    sec = 59;
    ms = 999;
  }
  let offsetMin = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (oh * 60 + om) * (m[9] === '-' ? -1 : 1);
  }
  const date = new Date(0);
  // setUTCFullYear keeps years 0-99 as written (Date.UTC would map them to 19xx).
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, sec, ms);
  return date.getTime() - offsetMin * 60_000;
}
