import type { ClipEngine } from './context.js';
import { fileSize, removeFile } from './files.js';
import type { ClipRetentionOptions, ClipRetentionReport } from './options.js';

const DAY_MS = 86_400_000;

export function retentionConfigured(retention: ClipRetentionOptions | undefined): retention is ClipRetentionOptions {
  return retention !== undefined && (retention.maxAgeDays !== undefined || retention.maxTotalBytes !== undefined);
}

/**
 * Deletes local files (the mp4 and its poster) of published clips past `maxAgeDays`, then the oldest
 * ones while the output folder is over `maxTotalBytes` (files of clips still
 * to upload count but are never deleted). The rows stay, with `expiredAt` set.
 */
export function runRetention(engine: ClipEngine): ClipRetentionReport {
  const report: ClipRetentionReport = { expired: [], freedBytes: 0 };
  const retention = engine.options.retention;
  if (!retentionConfigured(retention)) return report;
  const now = engine.clock.now();
  const candidates = engine.store.publishedWithFiles().map((clip) => ({ clip, path: engine.outputPath(clip), size: fileSize(engine.outputPath(clip)) }));
  const expire = new Set<(typeof candidates)[number]>();
  for (const c of candidates) {
    if (c.size === undefined) expire.add(c); // already gone: record it
    else if (retention.maxAgeDays !== undefined && c.clip.createdAt < now - retention.maxAgeDays * DAY_MS) expire.add(c);
  }
  if (retention.maxTotalBytes !== undefined) {
    const pending = engine.store.inStates(['encoded', 'uploading']).reduce((sum, clip) => sum + (fileSize(engine.outputPath(clip)) ?? 0), 0);
    let total = pending + candidates.reduce((sum, c) => sum + (expire.has(c) ? 0 : (c.size ?? 0)), 0);
    for (const c of candidates) {
      if (total <= retention.maxTotalBytes) break;
      if (expire.has(c)) continue;
      expire.add(c);
      total -= c.size ?? 0;
    }
  }
  for (const c of candidates) {
    if (!expire.has(c)) continue;
    if (c.clip.posterPath !== null) removeFile(c.clip.posterPath);
    removeFile(c.path); // files first: a crash in between leaves a row the next run marks, never a file without a row
    engine.db.write(() => engine.store.markExpired(c.clip.id, now));
    report.expired.push(c.clip.id);
    report.freedBytes += c.size ?? 0;
  }
  if (report.expired.length > 0) engine.logger?.info({ clips: report.expired, freedBytes: report.freedBytes }, 'clips: retention deleted local files');
  return report;
}
