import { Type, type TSchema } from 'typebox';
import type { EventName } from '../events.js';
import { createExtensionPoint, type ExtensionPoint } from '../extension-point.js';
import type { Kernel } from '../kernel.js';

/*
 * The export-section contract: how a plugin contributes a JSON snapshot file.
 * It lives in the kernel so a plugin can contribute files without depending on
 * the exports plugin; @streamsuites/plugin-exports collects the sections and
 * writes them (without it loaded, contributions are simply never read).
 */

/** Who may read a file: anyone, the operator's dashboard, or the runtime only. */
export type Visibility = 'public' | 'dashboard-only' | 'internal-only';

/** What a section's snapshot function gets. */
export interface SnapshotContext {
  /** The running kernel (status, creators, services). */
  kernel: Kernel;
  /** Kernel clock time of this write (ms). */
  now: number;
  /** For a keyed section: the key of the file being built. */
  key?: string;
}

/**
 * One exported file. Plugins contribute sections through
 * `exportsExtensionPoint`; the exports plugin knows nothing platform-specific.
 */
export interface ExportSection<T = unknown> {
  /**
   * Path under the exports root, e.g. `runtime/exports/clips.json`. A keyed
   * section's path holds `{key}` once (`shared/state/discord/guilds/{key}.json`).
   */
  file: string;
  /**
   * Makes the section keyed: one file per key (e.g. one per Discord server),
   * each built by `snapshot` with `ctx.key`. Keys match
   * `^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`; the file of a key no longer listed
   * is removed at the next write.
   */
  keys?(ctx: SnapshotContext): readonly string[] | Promise<readonly string[]>;
  /** `meta.schema`, e.g. `streamsuites.clips`. */
  schema: string;
  /** `meta.version`; bump when the body changes incompatibly. */
  version: number;
  visibility: Visibility;
  description: string;
  /** typebox schema of the body (everything but `meta`); every write is checked against it. */
  bodySchema: TSchema;
  /** Builds the body. Must be deterministic: stable array order, no wall-clock times. */
  snapshot(ctx: SnapshotContext): T | Promise<T>;
  /** Events after which the file is rewritten (debounced); it is also rewritten on the cadence. */
  watch?: readonly EventName[];
  /**
   * Places (and removes) the files the section's JSON refers to — clip videos
   * and poster frames under `<root>/runtime/media/` — before each write of the
   * file, so the snapshot can list what is there. Called by the process that
   * writes the exports root; a throw is logged and the file written anyway.
   * Media are served by the dashboard (dashboard-only) and not mirrored.
   */
  media?(ctx: MediaContext): void | Promise<void>;
}

/** What a section's `media` hook gets. */
export interface MediaContext extends SnapshotContext {
  /** The absolute exports root (the folder holding runtime/ and shared/). */
  root: string;
}

export const exportsExtensionPoint: ExtensionPoint<ExportSection<any>> = createExtensionPoint<ExportSection<any>>({
  id: 'exports.sections',
});

// ── Reserved files: fixed shapes other plugins fill ─────────────────────────

const Iso = Type.String({ format: 'date-time' });
const SignalEvent = (fields: Record<string, TSchema>) => Type.Object({ at: Iso, creator: Type.String(), ...fields });
const Clip = Type.Object({
  id: Type.String(),
  creator: Type.String(),
  title: Type.String(),
  platform: Type.String(),
  state: Type.String(),
  durationSec: Type.Number({ minimum: 0 }),
  /** The clip's public http(s) URL; never a local path or file: URL (public file). */
  url: Type.Optional(Type.String({ pattern: '^https?://' })),
  createdAt: Iso,
  publishedAt: Type.Optional(Iso),
});
const Poll = Type.Object({
  id: Type.String(),
  creator: Type.String(),
  question: Type.String(),
  status: Type.String(),
  options: Type.Array(Type.Object({ label: Type.String(), votes: Type.Integer({ minimum: 0 }) })),
  openedAt: Iso,
  closedAt: Type.Optional(Iso),
});
const Tally = Type.Object({
  id: Type.String(),
  creator: Type.String(),
  name: Type.String(),
  counts: Type.Array(Type.Object({ label: Type.String(), count: Type.Integer() })),
});
const Scoreboard = Type.Object({
  id: Type.String(),
  creator: Type.String(),
  name: Type.String(),
  entries: Type.Array(Type.Object({ rank: Type.Integer({ minimum: 1 }), label: Type.String(), score: Type.Number() })),
});

/** The files reserved for other plugins (clips, polls, tallies, scoreboards and their signals). */
export type ReservedFile =
  | 'runtime/exports/clips.json'
  | 'runtime/exports/polls.json'
  | 'runtime/exports/tallies.json'
  | 'runtime/exports/scoreboards.json'
  | 'runtime/signals/poll_votes.json'
  | 'runtime/signals/tally_events.json'
  | 'runtime/signals/score_events.json';

type ReservedParts = Omit<ExportSection<unknown>, 'snapshot' | 'watch'>;

function reserved(file: ReservedFile, visibility: Visibility, description: string, bodySchema: TSchema): ReservedParts {
  const name = file.replace(/^.*\//, '').replace(/\.json$/, '');
  return { file, schema: `streamsuites.${name}`, version: 1, visibility, description, bodySchema };
}

const RESERVED: readonly ReservedParts[] = [
  reserved('runtime/exports/clips.json', 'public', 'Published clips, safe for public galleries.', Type.Object({ clips: Type.Array(Clip) })),
  reserved('runtime/exports/polls.json', 'public', 'Poll questions and aggregated votes, no voter identifiers.', Type.Object({ polls: Type.Array(Poll) })),
  reserved('runtime/exports/tallies.json', 'public', 'Aggregate tally counts only.', Type.Object({ tallies: Type.Array(Tally) })),
  reserved('runtime/exports/scoreboards.json', 'public', 'Ranked scoreboard entries with scores.', Type.Object({ scoreboards: Type.Array(Scoreboard) })),
  reserved('runtime/signals/poll_votes.json', 'dashboard-only', 'Individual poll votes without personal data.', Type.Object({ events: Type.Array(SignalEvent({ pollId: Type.String(), option: Type.String() })) })),
  reserved('runtime/signals/tally_events.json', 'dashboard-only', 'Increments of tallies.', Type.Object({ events: Type.Array(SignalEvent({ tallyId: Type.String(), label: Type.String(), delta: Type.Number() })) })),
  reserved('runtime/signals/score_events.json', 'dashboard-only', 'Score adjustments feeding scoreboards.', Type.Object({ events: Type.Array(SignalEvent({ scoreboardId: Type.String(), label: Type.String(), delta: Type.Number() })) })),
];

/** Every reserved file, in a fixed order (the exports plugin writes an empty placeholder for each until its owner contributes it). */
export const RESERVED_EXPORT_FILES: readonly ReservedFile[] = RESERVED.map((parts) => parts.file as ReservedFile);

/**
 * A reserved file's fixed parts — schema name, version, visibility,
 * description and body schema, exactly as plugin-exports' FILES.md and
 * `schemas/` publish them — for the plugin that owns the data to add
 * `snapshot` and `watch`:
 * `{ ...reservedSection('runtime/exports/polls.json'), snapshot, watch }`.
 */
export function reservedSection(file: ReservedFile): ReservedParts {
  const found = RESERVED.find((s) => s.file === file);
  if (found === undefined) throw new TypeError(`"${file}" is not a reserved export file`);
  return { ...found };
}
