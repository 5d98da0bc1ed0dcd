import { reservedSection, Type, type ExportSection, type Kernel } from '@streamsuites/kernel';
import { maskLocalPaths, publicClipUrl, type ClipJobs } from './jobs.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * `runtime/exports/clips.json` (public: published and in-progress clips,
 * no requester, paths or errors) and `runtime/admin/clip_jobs.json`
 * (dashboard-only: every clip's job, attempts and last error), newest first.
 *
 * Neither holds a local path. A clip is referenced by its `id` and, once
 * published, by the destination's public http(s) `url` (an HTTP endpoint's
 * answer, the Rumble video page, a local folder's `publicBaseUrl` + file
 * name); a local folder without `publicBaseUrl` gives no URL at all (its
 * file:// URL stays in the database). Dashboard-only files are mirrored to
 * the dashboard publish root, so the errors in clip_jobs.json have their
 * paths reduced to file names; the full text is in the log.
 */
export function clipSections(jobs: () => ClipJobs | undefined): ExportSection<unknown>[] {
  return [
    {
      ...reservedSection('runtime/exports/clips.json'),
      watch: ['clip.state'],
      snapshot: () => ({
        clips: (jobs()?.list({ limit: 1000 }) ?? [])
          .filter((clip) => clip.state !== 'failed')
          .map((clip) => ({
            id: clip.id,
            creator: clip.creatorId,
            title: clip.title,
            platform: clip.platform,
            state: clip.state,
            durationSec: clip.durationSec ?? clip.seconds,
            ...publicUrlField(clip.state === 'published' ? clip.url : null),
            createdAt: iso(clip.createdAt),
            ...(clip.publishedAt === null ? {} : { publishedAt: iso(clip.publishedAt) }),
          })),
      }),
    },
    {
      file: 'runtime/admin/clip_jobs.json',
      schema: 'streamsuites.clip_jobs',
      version: 1,
      visibility: 'dashboard-only',
      description: 'Clip jobs: state, phase, attempts and the last error, newest first.',
      bodySchema: Type.Object({
        jobs: Type.Array(
          Type.Object({
            clipId: Type.String(),
            creator: Type.String(),
            platform: Type.String(),
            state: Type.String(),
            phase: Type.String(),
            attempts: Type.Integer({ minimum: 0 }),
            maxAttempts: Type.Integer({ minimum: 0 }),
            destination: Type.Optional(Type.String()),
            nextRunAt: Type.Optional(Type.String({ format: 'date-time' })),
            error: Type.Optional(Type.String()),
            errorCode: Type.Optional(Type.String()),
            createdAt: Type.String({ format: 'date-time' }),
            updatedAt: Type.String({ format: 'date-time' }),
          }),
        ),
      }),
      watch: ['clip.state'],
      snapshot: ({ kernel: _kernel }: { kernel: Kernel }) => ({
        jobs: (jobs()?.list({ limit: 1000 }) ?? []).map((clip) => ({
          clipId: clip.id,
          creator: clip.creatorId,
          platform: clip.platform,
          state: clip.state,
          phase: clip.job.phase,
          attempts: clip.job.attempts,
          maxAttempts: clip.job.maxAttempts,
          ...(clip.destination === null ? {} : { destination: clip.destination }),
          ...(clip.job.nextRunAt === null ? {} : { nextRunAt: iso(clip.job.nextRunAt) }),
          ...(clip.error === null ? {} : { error: maskLocalPaths(clip.error) }),
          ...(clip.errorCode === null ? {} : { errorCode: clip.errorCode }),
          createdAt: iso(clip.createdAt),
          updatedAt: iso(clip.updatedAt),
        })),
      }),
    },
  ];
}

function publicUrlField(url: string | null): { url?: string } {
  const href = publicClipUrl(url);
  return href === undefined ? {} : { url: href };
}
