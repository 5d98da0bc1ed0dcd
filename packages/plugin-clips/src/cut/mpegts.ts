/**
 * The start time of an MPEG-TS segment as ffmpeg sees it, read in-process
 * from the PES headers (no ffprobe).
 *
 * A pre-started ffmpeg cannot take `-t` per cut, so its cut end is an
 * `outpoint` in the input's own timestamps (see `standby.ts`): the start
 * of the first segment plus the planned duration. ffmpeg's start time of an
 * input is the smallest first presentation timestamp of its streams, and
 * its 33-bit timestamps are unwrapped relative to the first one seen: when
 * that lies in the last 60 s before the wrap point, earlier timestamps are
 * made negative (libavformat `update_wrap_reference`, "subtract rather than
 * add wrap offset"); otherwise they are kept and later ones grow past 2^33.
 */

export const TS_PACKET_SIZE = 188;
const SYNC = 0x47;
const WRAP = 2 ** 33;
const CLOCK = 90_000;

/**
 * Seconds: the smallest first PTS of the audio and video elementary streams
 * (PES stream ids 0xC0-0xEF) in `data`, in ffmpeg's unwrapped timeline;
 * undefined when `data` holds no such PES header (not MPEG-TS, or damaged).
 */
export function mpegTsStartSec(data: Uint8Array): number | undefined {
  const first = new Map<number, number>();
  const sync = firstSync(data);
  if (sync === undefined) return undefined;
  for (let at = sync; at + TS_PACKET_SIZE <= data.length; at += TS_PACKET_SIZE) {
    if (data[at] !== SYNC) return undefined; // lost sync: a damaged segment
    const pusi = (data[at + 1]! & 0x40) !== 0;
    if (!pusi) continue;
    const pid = ((data[at + 1]! & 0x1f) << 8) | data[at + 2]!;
    if (first.has(pid)) continue;
    const control = (data[at + 3]! >> 4) & 3;
    if ((control & 1) === 0) continue; // no payload
    let payload = at + 4;
    if (control & 2) payload += 1 + data[at + 4]!;
    const pts = pesPts(data, payload, at + TS_PACKET_SIZE);
    if (pts !== undefined) first.set(pid, pts);
  }
  if (first.size === 0) return undefined;
  const start = Math.min(...first.values());
  // ffmpeg's view: timestamps from within 60 s of the wrap point are shifted below zero.
  const unwrapped = start >= WRAP - 60 * CLOCK ? start - WRAP : start;
  return unwrapped / CLOCK;
}

/** The PTS of a PES header starting at `at` (before `end`), for audio/video stream ids. */
function pesPts(data: Uint8Array, at: number, end: number): number | undefined {
  if (at + 14 > end) return undefined;
  if (data[at] !== 0 || data[at + 1] !== 0 || data[at + 2] !== 1) return undefined;
  const streamId = data[at + 3]!;
  if (streamId < 0xc0 || streamId > 0xef) return undefined;
  if ((data[at + 6]! & 0xc0) !== 0x80) return undefined; // not an MPEG-2 PES header
  if ((data[at + 7]! & 0x80) === 0) return undefined; // no PTS
  const p = at + 9;
  // 33 bits: 3 + 15 + 15, each group followed by a marker bit. (Kept below 2^53: plain arithmetic.)
  return ((data[p]! >> 1) & 0x07) * 2 ** 30 + ((data[p + 1]! << 7) | (data[p + 2]! >> 1)) * 2 ** 15 + ((data[p + 3]! << 7) | (data[p + 4]! >> 1));
}

/** The first offset where packets are in sync (0x47 every 188 bytes, checked on up to 3 packets). */
function firstSync(data: Uint8Array): number | undefined {
  for (let at = 0; at < TS_PACKET_SIZE && at < data.length; at++) {
    let ok = true;
    for (let k = 0; k < 3 && at + k * TS_PACKET_SIZE < data.length; k++) {
      if (data[at + k * TS_PACKET_SIZE] !== SYNC) {
        ok = false;
        break;
      }
    }
    if (ok && data[at] === SYNC) return at;
  }
  return undefined;
}
