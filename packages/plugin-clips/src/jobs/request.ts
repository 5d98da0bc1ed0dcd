import type { ClipDestination, CutMode } from '../types.js';
import { SS_ERR_CLIP_DESTINATION_UNKNOWN, SS_ERR_CLIP_INVALID } from './errors.js';
import type { ClipJobsOptions, CreateClipRequest } from './options.js';
import { DEFAULT_TITLE_MAX_LENGTH, sanitizeTitle } from './title.js';

/** A create request after validation (what goes into the clip row). */
export interface ValidClipRequest {
  creatorId: string;
  platform: string;
  seconds: number;
  mode: CutMode;
  title: string;
  requestedBy: string | null;
  requestKey: string | null;
  destination: string;
}

/** Checks and sanitizes a create request; SS_ERR_CLIP_INVALID or SS_ERR_CLIP_DESTINATION_UNKNOWN. */
export function validateRequest(request: CreateClipRequest, options: ClipJobsOptions): ValidClipRequest {
  const text = (field: string, value: unknown, max: number): string => {
    if (typeof value !== 'string' || value.trim() === '') throw new SS_ERR_CLIP_INVALID(field, 'must be a non-empty string');
    if (value.length > max) throw new SS_ERR_CLIP_INVALID(field, `must be at most ${max} characters`);
    return value;
  };
  const creatorId = text('creatorId', request.creatorId, 128);
  const platform = text('platform', request.platform, 32);
  const maxSeconds = options.maxSeconds ?? 300;
  const seconds = request.seconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > maxSeconds) {
    throw new SS_ERR_CLIP_INVALID('seconds', `must be a number above 0 and at most ${maxSeconds}`, { details: { seconds } });
  }
  const mode = request.mode ?? 'copy';
  if (mode !== 'copy' && mode !== 'reencode') throw new SS_ERR_CLIP_INVALID('mode', 'must be "copy" or "reencode"');
  if (request.title !== undefined && typeof request.title !== 'string') throw new SS_ERR_CLIP_INVALID('title', 'must be a string');
  const title = sanitizeTitle(request.title ?? '', options.titleMaxLength ?? DEFAULT_TITLE_MAX_LENGTH);
  const requestedBy = request.requestedBy === undefined ? null : sanitizeTitle(text('requestedBy', request.requestedBy, 1024), 128) || null;
  const requestKey = request.requestKey === undefined ? null : text('requestKey', request.requestKey, 256);
  if (request.destination !== undefined) text('destination', request.destination, 128);
  const destination = destinationOf(options, { creatorId, platform, destination: request.destination ?? null }).name;
  return { creatorId, platform, seconds, mode: mode as CutMode, title, requestedBy, requestKey, destination };
}

/** The destination of a clip (by name, or through the resolver); SS_ERR_CLIP_DESTINATION_UNKNOWN when there is none. */
export function destinationOf(
  options: Pick<ClipJobsOptions, 'destinations' | 'defaultDestination'>,
  clip: { creatorId: string; platform: string; destination: string | null },
): { name: string; destination: ClipDestination } {
  const destinations = options.destinations;
  if (typeof destinations === 'function') {
    const destination = destinations(clip);
    if (destination === undefined) throw new SS_ERR_CLIP_DESTINATION_UNKNOWN(clip.destination ?? '(default)', `none for creator "${clip.creatorId}"`);
    return { name: clip.destination ?? destination.kind, destination };
  }
  const names = Object.keys(destinations);
  const name = clip.destination ?? options.defaultDestination ?? (names.length === 1 ? names[0]! : undefined);
  if (name === undefined || !Object.hasOwn(destinations, name)) {
    throw new SS_ERR_CLIP_DESTINATION_UNKNOWN(name ?? '(default)', knownDestinations(destinations));
  }
  return { name, destination: destinations[name]! };
}

export function knownDestinations(destinations: Readonly<Record<string, ClipDestination>>): string {
  const names = Object.keys(destinations);
  return names.length === 0 ? 'none' : names.join(', ');
}
