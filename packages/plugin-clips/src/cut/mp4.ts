import { open, type FileHandle } from 'node:fs/promises';
import type { ProbeDetails } from '../ffmpeg/probe.js';

/**
 * An MP4 read in-process: the box structure, the sample tables of each track
 * and the first video sample's bitstream, so a cut is verified without
 * starting ffprobe (~80 ms of process start-up and probing per clip).
 *
 * It reads the `moov` box (small: ~20 KB for 30 s) and a few bytes of media
 * data, and checks more than ffprobe's summary did:
 *
 * - the top-level boxes tile the file exactly (a truncated file, or one cut
 *   off before its `moov`, fails);
 * - each track's tables agree (`stts`, `stsz`, `stsc`, `stco`/`co64`: the
 *   same number of samples, every chunk listed), and every sample's bytes lie
 *   inside an `mdat` box inside the file;
 * - the first video sample is a sync sample (`stss`) and, for H.264/HEVC,
 *   its NAL units parse with the `avcC`/`hvcC` length size and include an
 *   IDR/IRAP picture.
 *
 * The summary it returns has ffprobe's names and numbers for what the cut
 * reports (`durationSec` as ffprobe's format duration, `videoCodec` `h264`,
 * `audioCodec` `aac`, the video sample entry's width and height).
 */

export interface Mp4Track {
  /** `vide`, `soun`, ... (the `hdlr` handler type). */
  handler: string;
  /** Sample entry type: `avc1`, `mp4a`, ... */
  format: string;
  /** ffprobe's codec name where known (`h264`, `hevc`, `aac`, `mp3`), else the sample entry type. */
  codec: string;
  timescale: number;
  /** Media duration (mdhd) in seconds. */
  durationSec: number;
  samples: number;
  width?: number;
  height?: number;
  /** Whether the first sample is a sync sample (no `stss`: every sample is). */
  firstSampleSync: boolean;
}

export interface Mp4Inspection {
  /** What the cut reports (ffprobe's names), plus the verification details. */
  probe: ProbeDetails;
  tracks: Mp4Track[];
  fileSize: number;
  /** `moov` comes before the first `mdat` (`+faststart`). */
  moovFirst: boolean;
  /** Everything found wrong; empty when the file is sound. */
  problems: string[];
}

/** Refuse to load a `moov` larger than this (a 5-minute clip has ~0.2 MB). */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/** Bytes of the first video sample read to find its picture type. */
const FIRST_SAMPLE_BYTES = 64 * 1024;

interface Box {
  type: string;
  /** Offset of the box (its header) in the buffer or file. */
  start: number;
  /** Offset of the payload. */
  body: number;
  /** Offset just past the box. */
  end: number;
}

class Mp4Error extends Error {}

/** Reads `file` and reports its structure and problems. Rejects only when the file cannot be read at all. */
export async function inspectMp4(file: string): Promise<Mp4Inspection> {
  const handle = await open(file, 'r');
  try {
    return await inspectHandle(handle);
  } finally {
    await handle.close();
  }
}

async function inspectHandle(handle: FileHandle): Promise<Mp4Inspection> {
  const fileSize = (await handle.stat()).size;
  const problems: string[] = [];
  const report = (tracks: Mp4Track[], moovFirst: boolean, durationSec: number, startsWithKeyframe?: boolean): Mp4Inspection => ({
    probe: summarize(tracks, durationSec, startsWithKeyframe),
    tracks,
    fileSize,
    moovFirst,
    problems,
  });
  if (fileSize === 0) {
    problems.push('the file is empty');
    return report([], false, 0);
  }

  // Top-level boxes: headers only, media data is skipped.
  const top: Box[] = [];
  const header = Buffer.alloc(16);
  let at = 0;
  while (at < fileSize) {
    const { bytesRead } = await handle.read(header, 0, 16, at);
    if (bytesRead < 8) {
      problems.push(`${fileSize - at} stray bytes at the end of the file`);
      break;
    }
    let size = header.readUInt32BE(0);
    const type = fourcc(header, 4);
    let body = at + 8;
    if (size === 1) {
      if (bytesRead < 16) {
        problems.push(`the ${printable(type)} box header is cut off`);
        break;
      }
      size = Number(header.readBigUInt64BE(8));
      body = at + 16;
    } else if (size === 0) {
      size = fileSize - at; // to the end of the file
    }
    if (size < body - at || !/^[\x20-\x7e]{4}$/.test(type)) {
      problems.push(`no valid box at byte ${at} (the file is damaged)`);
      break;
    }
    if (at + size > fileSize) {
      problems.push(`the file is truncated: the ${printable(type)} box needs ${at + size} bytes, the file has ${fileSize}`);
      top.push({ type, start: at, body, end: fileSize });
      break;
    }
    top.push({ type, start: at, body, end: at + size });
    at += size;
  }

  const moovBox = top.find((b) => b.type === 'moov');
  const mdats = top.filter((b) => b.type === 'mdat');
  const moovFirst = moovBox !== undefined && (mdats.length === 0 || moovBox.start < mdats[0]!.start);
  if (!moovBox) {
    problems.push('no moov box (the file was not finished)');
    return report([], false, 0);
  }
  if (mdats.length === 0) problems.push('no mdat box (no media data)');
  const moovSize = moovBox.end - moovBox.body;
  if (moovSize > MAX_MOOV_BYTES) {
    problems.push(`the moov box is ${moovSize} bytes (more than ${MAX_MOOV_BYTES})`);
    return report([], moovFirst, 0);
  }
  const moov = Buffer.alloc(moovSize);
  await handle.read(moov, 0, moovSize, moovBox.body);

  let durationSec = 0;
  const tracks: Mp4Track[] = [];
  let firstVideo: { offset: number; size: number; nalLengthSize?: number; format: string } | undefined;
  try {
    const mvhd = child(moov, 0, moov.length, 'mvhd');
    if (!mvhd) throw new Mp4Error('no mvhd box');
    durationSec = movieDuration(moov, mvhd);
    for (const trak of children(moov, 0, moov.length).filter((b) => b.type === 'trak')) {
      const parsed = parseTrack(moov, trak, fileSize, mdats, problems);
      if (!parsed) continue;
      tracks.push(parsed.track);
      if (parsed.track.handler === 'vide' && firstVideo === undefined && parsed.firstSample) {
        firstVideo = { ...parsed.firstSample, format: parsed.track.format };
      }
    }
  } catch (error) {
    if (!(error instanceof Mp4Error)) throw error;
    problems.push(`the moov box is damaged: ${error.message}`);
  }

  let startsWithKeyframe: boolean | undefined;
  const video = tracks.find((t) => t.handler === 'vide');
  if (video) {
    startsWithKeyframe = video.firstSampleSync;
    if (firstVideo && startsWithKeyframe && firstVideo.nalLengthSize !== undefined) {
      const length = Math.min(firstVideo.size, FIRST_SAMPLE_BYTES);
      const sample = Buffer.alloc(length);
      const { bytesRead } = await handle.read(sample, 0, length, firstVideo.offset);
      const picture = firstPicture(sample.subarray(0, bytesRead), firstVideo.nalLengthSize, firstVideo.format, bytesRead === firstVideo.size);
      if (picture === 'malformed') problems.push('the first video sample is not valid length-prefixed NAL units (damaged media data)');
      else if (picture === 'not-key') startsWithKeyframe = false;
    }
  }
  return report(tracks, moovFirst, durationSec, startsWithKeyframe);
}

function summarize(tracks: readonly Mp4Track[], durationSec: number, startsWithKeyframe: boolean | undefined): ProbeDetails {
  const video = tracks.find((t) => t.handler === 'vide');
  const audio = tracks.find((t) => t.handler === 'soun');
  const out: ProbeDetails = { durationSec, hasVideo: video !== undefined, hasAudio: audio !== undefined };
  if (video) out.videoCodec = video.codec;
  if (audio) out.audioCodec = audio.codec;
  if (video?.width) out.width = video.width;
  if (video?.height) out.height = video.height;
  out.formatName = 'mov,mp4,m4a,3gp,3g2,mj2';
  if (video) out.videoFrames = video.samples;
  if (startsWithKeyframe !== undefined) out.startsWithKeyframe = startsWithKeyframe;
  return out;
}

/** ffprobe's format duration: mvhd rescaled to microseconds (rounded), printed with 6 decimals. */
function movieDuration(buf: Buffer, mvhd: Box): number {
  const version = u8(buf, mvhd.body, mvhd);
  const timescale = version === 1 ? u32(buf, mvhd.body + 20, mvhd) : u32(buf, mvhd.body + 12, mvhd);
  const duration = version === 1 ? u64(buf, mvhd.body + 24, mvhd) : u32(buf, mvhd.body + 16, mvhd);
  if (timescale === 0) throw new Mp4Error('mvhd timescale is 0');
  const micros = Math.round((duration * 1e6) / timescale);
  return Number((micros / 1e6).toFixed(6));
}

interface ParsedTrack {
  track: Mp4Track;
  firstSample?: { offset: number; size: number; nalLengthSize?: number };
}

function parseTrack(buf: Buffer, trak: Box, fileSize: number, mdats: readonly Box[], problems: string[]): ParsedTrack | undefined {
  const mdia = need(buf, trak, 'mdia');
  const mdhd = need(buf, mdia, 'mdhd');
  const hdlr = need(buf, mdia, 'hdlr');
  const handler = fourcc(buf, at(hdlr.body + 8, 4, hdlr));
  const mdhdVersion = u8(buf, mdhd.body, mdhd);
  const timescale = mdhdVersion === 1 ? u32(buf, mdhd.body + 20, mdhd) : u32(buf, mdhd.body + 12, mdhd);
  const duration = mdhdVersion === 1 ? u64(buf, mdhd.body + 24, mdhd) : u32(buf, mdhd.body + 16, mdhd);
  const stbl = need(buf, need(buf, mdia, 'minf'), 'stbl');
  const name = handler === 'vide' ? 'video' : handler === 'soun' ? 'audio' : `${printable(handler)} track`;

  // Sample description: the first entry.
  const stsd = need(buf, stbl, 'stsd');
  if (u32(buf, stsd.body + 4, stsd) < 1) throw new Mp4Error(`the ${name} track has no sample description`);
  const entry = boxAt(buf, stsd.body + 8, stsd.end);
  const format = fourcc(buf, entry.start + 4);
  const track: Mp4Track = { handler, format, codec: format.trim(), timescale, durationSec: timescale > 0 ? duration / timescale : 0, samples: 0, firstSampleSync: true };
  let nalLengthSize: number | undefined;
  if (handler === 'vide' && entry.end - entry.body >= 78) {
    track.width = u16(buf, entry.body + 24, entry);
    track.height = u16(buf, entry.body + 26, entry);
    const config = children(buf, entry.body + 78, entry.end);
    if (format === 'avc1' || format === 'avc3') {
      track.codec = 'h264';
      const avcC = config.find((b) => b.type === 'avcC');
      if (!avcC) throw new Mp4Error('the H.264 sample entry has no avcC box');
      nalLengthSize = (u8(buf, avcC.body + 4, avcC) & 3) + 1;
    } else if (format === 'hvc1' || format === 'hev1') {
      track.codec = 'hevc';
      const hvcC = config.find((b) => b.type === 'hvcC');
      if (!hvcC) throw new Mp4Error('the HEVC sample entry has no hvcC box');
      nalLengthSize = (u8(buf, hvcC.body + 21, hvcC) & 3) + 1;
    }
  } else if (handler === 'soun' && format === 'mp4a') {
    // QuickTime sound sample entry versions 1 and 2 carry 16 / 36 more bytes.
    const version = u16(buf, entry.body + 8, entry);
    const skip = 28 + (version === 1 ? 16 : version === 2 ? 36 : 0);
    const esds = children(buf, entry.body + skip, entry.end).find((b) => b.type === 'esds');
    track.codec = audioCodec(esds ? objectType(buf, esds) : undefined);
  }

  // Sample tables.
  const sizes = sampleSizes(buf, stbl, name);
  track.samples = sizes.length;
  const stts = need(buf, stbl, 'stts');
  let timed = 0;
  const sttsEntries = u32(buf, stts.body + 4, stts);
  at(stts.body + 8, sttsEntries * 8, stts);
  for (let i = 0; i < sttsEntries; i++) timed += buf.readUInt32BE(stts.body + 8 + i * 8);
  if (timed !== sizes.length) problems.push(`the ${name} track lists ${sizes.length} sample sizes but ${timed} sample times`);
  const stss = child(buf, stbl.body, stbl.end, 'stss');
  if (stss && sizes.length > 0) {
    const count = u32(buf, stss.body + 4, stss);
    track.firstSampleSync = count > 0 && u32(buf, stss.body + 8, stss) === 1;
  }
  if (sizes.length === 0) {
    problems.push(`the ${name} track has no samples`);
    return { track };
  }

  // Where each sample is: chunks (stco/co64) holding runs of samples (stsc).
  const offsets = chunkOffsets(buf, stbl, name);
  const stsc = need(buf, stbl, 'stsc');
  const runs = u32(buf, stsc.body + 4, stsc);
  at(stsc.body + 8, runs * 12, stsc);
  let sample = 0;
  let outside: string | undefined;
  let firstSample: ParsedTrack['firstSample'];
  for (let r = 0; r < runs && outside === undefined; r++) {
    const firstChunk = buf.readUInt32BE(stsc.body + 8 + r * 12);
    const perChunk = buf.readUInt32BE(stsc.body + 12 + r * 12);
    const nextFirst = r + 1 < runs ? buf.readUInt32BE(stsc.body + 20 + r * 12) : offsets.length + 1;
    if (firstChunk < 1 || nextFirst <= firstChunk || nextFirst > offsets.length + 1) throw new Mp4Error(`the ${name} track's stsc table is inconsistent`);
    for (let chunk = firstChunk; chunk < nextFirst && outside === undefined; chunk++) {
      let offset = offsets[chunk - 1]!;
      for (let k = 0; k < perChunk; k++, sample++) {
        if (sample >= sizes.length) throw new Mp4Error(`the ${name} track's chunks hold more samples than its stsz lists`);
        const size = sizes[sample]!;
        if (sample === 0) firstSample = { offset, size, ...(nalLengthSize === undefined ? {} : { nalLengthSize }) };
        if (offset + size > fileSize) {
          outside = `the file is truncated: ${name} sample ${sample + 1} of ${sizes.length} ends at byte ${offset + size}, the file has ${fileSize}`;
          break;
        }
        if (!mdats.some((m) => offset >= m.body && offset + size <= m.end)) {
          outside = `${name} sample ${sample + 1} of ${sizes.length} (bytes ${offset}-${offset + size}) is outside the media data`;
          break;
        }
        offset += size;
      }
    }
  }
  if (outside !== undefined) problems.push(outside);
  else if (sample !== sizes.length) problems.push(`the ${name} track's chunks hold ${sample} of its ${sizes.length} samples`);
  return firstSample === undefined ? { track } : { track, firstSample };
}

function sampleSizes(buf: Buffer, stbl: Box, name: string): number[] {
  const stsz = child(buf, stbl.body, stbl.end, 'stsz');
  if (stsz) {
    const fixed = u32(buf, stsz.body + 4, stsz);
    const count = u32(buf, stsz.body + 8, stsz);
    if (fixed !== 0) return new Array<number>(count).fill(fixed);
    at(stsz.body + 12, count * 4, stsz);
    const sizes = new Array<number>(count);
    for (let i = 0; i < count; i++) sizes[i] = buf.readUInt32BE(stsz.body + 12 + i * 4);
    return sizes;
  }
  const stz2 = child(buf, stbl.body, stbl.end, 'stz2');
  if (!stz2) throw new Mp4Error(`the ${name} track has no sample sizes (stsz)`);
  const field = u8(buf, stz2.body + 7, stz2);
  const count = u32(buf, stz2.body + 8, stz2);
  if (field !== 4 && field !== 8 && field !== 16) throw new Mp4Error(`the ${name} track's stz2 field size ${field} is invalid`);
  at(stz2.body + 12, Math.ceil((count * field) / 8), stz2);
  const sizes = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    if (field === 16) sizes[i] = buf.readUInt16BE(stz2.body + 12 + i * 2);
    else if (field === 8) sizes[i] = buf[stz2.body + 12 + i]!;
    else sizes[i] = (buf[stz2.body + 12 + (i >> 1)]! >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
  }
  return sizes;
}

function chunkOffsets(buf: Buffer, stbl: Box, name: string): number[] {
  const stco = child(buf, stbl.body, stbl.end, 'stco');
  const co64 = stco ? undefined : child(buf, stbl.body, stbl.end, 'co64');
  const table = stco ?? co64;
  if (!table) throw new Mp4Error(`the ${name} track has no chunk offsets (stco)`);
  const count = u32(buf, table.body + 4, table);
  const width = stco ? 4 : 8;
  at(table.body + 8, count * width, table);
  const offsets = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    offsets[i] = stco ? buf.readUInt32BE(table.body + 8 + i * 4) : Number(buf.readBigUInt64BE(table.body + 8 + i * 8));
  }
  return offsets;
}

/**
 * What the first picture of a length-prefixed H.264/HEVC sample is: `key`
 * for an H.264 IDR or intra (I/SI) slice, or an HEVC IRAP picture (NAL types
 * 16-23); `not-key` for any other slice; `malformed` when the NAL lengths do
 * not tile the bytes; `unknown` when the bytes read end before a slice.
 * `complete`: `sample` is the whole sample (not its first bytes).
 */
export function firstPicture(sample: Uint8Array, lengthSize: number, format: string, complete: boolean): 'key' | 'not-key' | 'malformed' | 'unknown' {
  const hevc = format === 'hvc1' || format === 'hev1';
  let at = 0;
  while (at < sample.length) {
    if (at + lengthSize > sample.length) return complete ? 'malformed' : 'unknown';
    let length = 0;
    for (let i = 0; i < lengthSize; i++) length = length * 256 + sample[at + i]!;
    at += lengthSize;
    if (length === 0) return 'malformed';
    if (at >= sample.length) return complete ? 'malformed' : 'unknown';
    if (complete && at + length > sample.length) return 'malformed';
    const head = sample[at]!;
    if ((head & 0x80) !== 0) return 'malformed'; // forbidden_zero_bit
    if (hevc) {
      const type = (head >> 1) & 0x3f;
      if (type >= 16 && type <= 23) return 'key';
      if (type <= 15) return 'not-key';
    } else {
      const type = head & 0x1f;
      if (type === 5) return 'key';
      if (type >= 1 && type <= 4) {
        // A non-IDR slice: key when it is intra (recovery-point streams); slice_type is the second ue(v).
        const sliceType = secondUe(sample.subarray(at + 1, Math.min(sample.length, at + length)));
        if (sliceType === undefined) return complete ? 'malformed' : 'unknown';
        return sliceType % 5 === 2 || sliceType % 5 === 4 ? 'key' : 'not-key';
      }
    }
    at += length;
  }
  return complete ? 'malformed' : 'unknown'; // no slice (in the bytes read)
}

/** The second Exp-Golomb ue(v) of an RBSP start (emulation prevention bytes removed first). */
function secondUe(bytes: Uint8Array): number | undefined {
  const rbsp: number[] = [];
  for (let i = 0; i < bytes.length && rbsp.length < 16; i++) {
    if (i >= 2 && bytes[i] === 3 && bytes[i - 1] === 0 && bytes[i - 2] === 0) continue;
    rbsp.push(bytes[i]!);
  }
  let bit = 0;
  const readBit = (): number | undefined => {
    if (bit >= rbsp.length * 8) return undefined;
    const b = (rbsp[bit >> 3]! >> (7 - (bit & 7))) & 1;
    bit++;
    return b;
  };
  const ue = (): number | undefined => {
    let zeros = 0;
    for (;;) {
      const b = readBit();
      if (b === undefined || zeros > 31) return undefined;
      if (b === 1) break;
      zeros++;
    }
    let value = 0;
    for (let i = 0; i < zeros; i++) {
      const b = readBit();
      if (b === undefined) return undefined;
      value = value * 2 + b;
    }
    return 2 ** zeros - 1 + value;
  };
  if (ue() === undefined) return undefined; // first_mb_in_slice
  return ue();
}

function objectType(buf: Buffer, esds: Box): number | undefined {
  // Full box header, then ES_Descriptor (tag 3) > DecoderConfigDescriptor (tag 4) > objectTypeIndication.
  let at = esds.body + 4;
  const descriptor = (): { tag: number; body: number } | undefined => {
    if (at >= esds.end) return undefined;
    const tag = buf[at++]!;
    for (let i = 0; i < 4 && at < esds.end; i++) {
      if ((buf[at++]! & 0x80) === 0) break;
    }
    return { tag, body: at };
  };
  const es = descriptor();
  if (es?.tag !== 3) return undefined;
  const flags = buf[at + 2] ?? 0;
  at += 3;
  if (flags & 0x80) at += 2;
  if (flags & 0x40) at += 1 + (buf[at] ?? 0);
  if (flags & 0x20) at += 2;
  const config = descriptor();
  return config?.tag === 4 && at < esds.end ? buf[at] : undefined;
}

function audioCodec(objectTypeIndication: number | undefined): string {
  switch (objectTypeIndication) {
    case 0x69:
    case 0x6b:
      return 'mp3';
    case 0xa5:
      return 'ac3';
    case 0xa6:
      return 'eac3';
    default:
      return 'aac';
  }
}

// --- boxes in the moov buffer -------------------------------------------

function boxAt(buf: Buffer, start: number, limit: number): Box {
  if (start + 8 > limit) throw new Mp4Error(`a box header at ${start} runs past its parent`);
  let size = buf.readUInt32BE(start);
  const type = fourcc(buf, start + 4);
  let body = start + 8;
  if (size === 1) {
    if (start + 16 > limit) throw new Mp4Error(`the ${printable(type)} box header runs past its parent`);
    size = Number(buf.readBigUInt64BE(start + 8));
    body = start + 16;
  }
  // (A size of 0, "to the end of the file", is only valid at the top level.)
  if (!/^[\x20-\x7e]{4}$/.test(type) || size < body - start) throw new Mp4Error(`no valid box at moov byte ${start}`);
  if (start + size > limit) throw new Mp4Error(`the ${printable(type)} box (${size} bytes) runs past its parent`);
  return { type, start, body, end: start + size };
}

function children(buf: Buffer, from: number, to: number): Box[] {
  const out: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    const box = boxAt(buf, at, to);
    out.push(box);
    at = box.end;
  }
  return out;
}

function child(buf: Buffer, from: number, to: number, type: string): Box | undefined {
  return children(buf, from, to).find((b) => b.type === type);
}

function need(buf: Buffer, parent: Box, type: string): Box {
  const box = child(buf, parent.body, parent.end, type);
  if (!box) throw new Mp4Error(`${parent.type} has no ${type} box`);
  return box;
}

/** `offset` when `length` bytes from it lie inside `box`, else a damaged-box error. */
function at(offset: number, length: number, box: Box): number {
  if (offset < box.body || offset + length > box.end) throw new Mp4Error(`the ${printable(box.type)} box is too short`);
  return offset;
}

const u8 = (buf: Buffer, offset: number, box: Box): number => buf[at(offset, 1, box)]!;
const u16 = (buf: Buffer, offset: number, box: Box): number => buf.readUInt16BE(at(offset, 2, box));
const u32 = (buf: Buffer, offset: number, box: Box): number => buf.readUInt32BE(at(offset, 4, box));
const u64 = (buf: Buffer, offset: number, box: Box): number => Number(buf.readBigUInt64BE(at(offset, 8, box)));

function fourcc(buf: Buffer, offset: number): string {
  return buf.toString('latin1', offset, offset + 4);
}

function printable(type: string): string {
  return JSON.stringify(type.replace(/[^\x20-\x7e]/g, '?'));
}
