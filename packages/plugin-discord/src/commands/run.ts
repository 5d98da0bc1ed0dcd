import { formatIssue, SS_ERR_RELOAD_REJECTED, type ActionDispatcher, type JobRecord, type ManifestIssue, type QuotaSnapshot, type ReloadSummary } from '@streamsuites/kernel';
import {
  SS_ERR_DISCORD_ACTION_FAILED,
  SS_ERR_DISCORD_CREATOR_NOT_FOUND,
  SS_ERR_DISCORD_NOT_AVAILABLE,
  SS_ERR_DISCORD_OPTION_INVALID,
  SS_ERR_DISCORD_RELOAD_UNAVAILABLE,
} from '../errors.js';
import type { ClipView, RuntimeView } from '../watch.js';

/** A command as the handlers see it (the interaction adapter fills it in). */
export interface CommandInput {
  name: string;
  subcommand: string | null;
  string(name: string): string | undefined;
  integer(name: string): number | undefined;
  /** Who asked, for logs and the clip's `requestedBy`. */
  user: string;
}

/** An embed, as plain data. */
export interface Reply {
  title: string;
  description?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
}

/**
 * What the handlers may read and do. Integrated, the plugin builds it over the
 * kernel and the bus; standalone, over the published state files (no
 * `actions`: the admin commands then answer SS_ERR_DISCORD_NOT_AVAILABLE).
 */
export interface CommandRuntime {
  creators(): { id: string; plugins: readonly string[] }[];
  watch: RuntimeView;
  actions?: ActionDispatcher;
  quotas(): Promise<QuotaSnapshot[]>;
  jobs(): Promise<JobRecord[]>;
  triggers(creatorId: string): readonly { id: string; type: string; params: Record<string, unknown> }[];
  /** Re-reads the configuration and applies it (`kernel.reload()`); absent standalone, where there is no runtime to reload. */
  reload?(): Promise<ReloadSummary>;
  /** Resolves with the clip once published or failed (rejects when `signal` aborts). */
  clipSettled(clipId: string, signal: AbortSignal): Promise<ClipView>;
}

const EMPTY = '—';
const list = (lines: string[]) => (lines.length === 0 ? EMPTY : lines.join('\n').slice(0, 4000));

/**
 * `/reload`: what the reload changed, or — when it was rejected and the
 * running configuration stays — every problem with its file and line, so
 * the operator can fix it from Discord's answer alone.
 */
async function reload(rt: CommandRuntime): Promise<Reply> {
  if (rt.reload === undefined) throw new SS_ERR_DISCORD_RELOAD_UNAVAILABLE();
  try {
    const summary = await rt.reload();
    const restarted = Object.entries(summary.restarted).map(([creator, plugins]) => `${creator}: ${plugins.join(', ')}`);
    const fields = [
      { name: 'Added', value: list(summary.added), inline: true },
      { name: 'Removed', value: list(summary.removed), inline: true },
      { name: 'Updated', value: list(summary.updated), inline: true },
      ...(restarted.length === 0 ? [] : [{ name: 'Restarted', value: list(restarted) }]),
      ...(summary.sections.length === 0 ? [] : [{ name: 'Sections', value: list(summary.sections) }]),
    ];
    return { title: 'Reloaded', description: summary.source, fields };
  } catch (error) {
    if (!SS_ERR_RELOAD_REJECTED.is(error)) throw error;
    const issues = ((error.details as { issues?: ManifestIssue[] }).issues ?? []).map((issue) => `• ${formatIssue(issue)}`);
    return { title: `Reload rejected: ${issues.length} problem(s)`, description: `${list(issues)}\n\nThe running configuration stays.`.slice(0, 4000) };
  }
}

/** Runs one command; throws a coded error for anything the user should be told. */
export async function runCommand(input: CommandInput, rt: CommandRuntime, signal: AbortSignal): Promise<Reply> {
  switch (input.name) {
    case 'status':
      return status(rt);
    case 'creators':
      return { title: 'Creators', description: list(rt.creators().map((c) => `**${c.id}**: ${c.plugins.join(', ') || EMPTY}`)) };
    case 'clips': {
      const creator = input.string('creator');
      if (creator !== undefined) creatorOf(rt, creator);
      const clips = rt.watch.clips(creator);
      return { title: creator === undefined ? 'Latest clips' : `Latest clips of ${creator}`, description: list(clips.map((c) => `${c.creatorId} · ${c.state}${c.url === undefined ? '' : ` · ${c.url}`}`)) };
    }
    case 'clip':
      return clip(input, rt, signal);
    case 'poll':
      return poll(input, rt);
    case 'tally':
      return boards('Tallies', rt.watch.tallies(creatorOf(rt, input.string('creator')).id));
    case 'score':
      return boards('Scores', rt.watch.scores(creatorOf(rt, input.string('creator')).id));
    case 'quota': {
      const quotas = await rt.quotas();
      return { title: 'Quota', description: list(quotas.map((q) => `**${q.creatorId}/${q.platform}**: ${q.used} of ${q.daily} used today, ${q.remaining} left (${q.status})`)) };
    }
    case 'jobs': {
      const jobs = await rt.jobs();
      const counts = new Map<string, number>();
      for (const job of jobs) counts.set(job.state, (counts.get(job.state) ?? 0) + 1);
      const failed = jobs.filter((j) => j.state === 'failed').slice(-5);
      return {
        title: 'Jobs',
        description: list([...counts].sort(([a], [b]) => a.localeCompare(b)).map(([state, n]) => `${state}: ${n}`)),
        ...(failed.length === 0 ? {} : { fields: [{ name: 'Last failures', value: list(failed.map((j) => `${j.type} (${j.creatorId ?? EMPTY}): ${j.errorCode ?? j.error ?? EMPTY}`)) }] }),
      };
    }
    case 'triggers': {
      const creator = creatorOf(rt, input.string('creator'));
      const triggers = rt.triggers(creator.id);
      return { title: `Triggers of ${creator.id}`, description: list(triggers.map((t) => `\`${t.type}\` ${describe(t.params)}`)) };
    }
    case 'dryrun': {
      const creator = creatorOf(rt, input.string('creator'));
      const mode = input.string('mode');
      if (mode !== 'on' && mode !== 'off') throw new SS_ERR_DISCORD_OPTION_INVALID('mode', 'must be on or off');
      actionsOf(rt, '/dryrun').setDryRun(mode === 'on', creator.id);
      return { title: `Dry run ${mode} for ${creator.id}`, description: mode === 'on' ? 'Actions are recorded, not run.' : 'Actions run again.' };
    }
    case 'reload':
      return reload(rt);
    default:
      throw new SS_ERR_DISCORD_OPTION_INVALID('command', `"${input.name}" is not a StreamSuites command`);
  }
}

function status(rt: CommandRuntime): Reply {
  const platforms = rt.watch.platforms();
  const fields = rt.creators().map((creator) => {
    const rows = platforms
      .filter((p) => p.creatorId === creator.id)
      .map((p) => `${p.platform}: ${p.liveKnown === false ? '' : p.live === undefined ? 'offline, ' : '🔴 live, '}${p.state ?? 'unknown'}${p.state !== 'connected' && p.reason !== undefined ? ` (${p.reason})` : ''}, ${p.perMinute} msg/min`);
    const error = rt.watch.lastError(creator.id);
    const fired = rt.watch.triggersFired(creator.id);
    if (fired !== undefined) rows.push(`triggers fired: ${fired}`);
    if (error !== undefined) rows.push(`last error: ${error.code}`);
    return { name: creator.id, value: list(rows) };
  });
  return { title: 'StreamSuites status', fields: fields.slice(0, 25) };
}

async function clip(input: CommandInput, rt: CommandRuntime, signal: AbortSignal): Promise<Reply> {
  const creator = creatorOf(rt, input.string('creator'));
  const actions = actionsOf(rt, '/clip');
  if (!actions.types().includes('clip.create')) throw new SS_ERR_DISCORD_NOT_AVAILABLE('/clip (plugin-clips)');
  const title = input.string('title');
  // Discord checks option ranges in its client; a raw API call does not, so the bot checks again.
  const seconds = inRange('seconds', input.integer('seconds') ?? 30, 5, 300);
  if (title !== undefined && title.length > 100) throw new SS_ERR_DISCORD_OPTION_INVALID('title', 'must be at most 100 characters');
  const record = await actions.dispatch(
    { type: 'clip.create', params: { seconds, requestedBy: input.user, ...(title === undefined ? {} : { title }) } },
    { creatorId: creator.id, signal },
  );
  if (record.outcome === 'dry-run') return { title: `Clip of ${creator.id}`, description: 'Dry run: the clip was recorded, not cut.' };
  if (record.outcome === 'failed') throw new SS_ERR_DISCORD_ACTION_FAILED('clip.create', record.error?.cause?.code ?? record.error?.code ?? 'unknown');
  if (typeof record.result !== 'string') throw new SS_ERR_DISCORD_ACTION_FAILED('clip.create', 'no clip id');
  const settled = await rt.clipSettled(record.result, signal);
  if (settled.state !== 'published') throw new SS_ERR_DISCORD_ACTION_FAILED('clip.create', `the clip ${settled.state}`);
  return { title: `Clip of ${creator.id}`, description: settled.url ?? 'published' };
}

function poll(input: CommandInput, rt: CommandRuntime): Promise<Reply> | Reply {
  const creator = creatorOf(rt, input.string('creator'));
  if (input.subcommand === 'results') {
    const current = rt.watch.poll(creator.id);
    if (current === undefined) return { title: `Poll of ${creator.id}`, description: 'No poll yet.' };
    return { title: `${current.open ? 'Open poll' : 'Last poll'}: ${current.question}`, description: list(current.results.map((r) => `${r.label}: ${r.votes}`)) };
  }
  if (!actionsOf(rt, '/poll').types().includes('poll.open')) throw new SS_ERR_DISCORD_NOT_AVAILABLE('/poll (plugin-engagement)');
  if (input.subcommand === 'open') {
    const options = (input.string('options') ?? '').split(',').map((o) => o.trim()).filter((o) => o.length > 0);
    if (options.length < 2 || options.length > 10) throw new SS_ERR_DISCORD_OPTION_INVALID('options', `needs 2 to 10 answers separated by commas (got ${options.length})`);
    const asked = input.integer('seconds');
    const seconds = asked === undefined ? undefined : inRange('seconds', asked, 10, 86_400);
    return act(rt, creator.id, { type: 'poll.open', params: { question: input.string('question') ?? '', options, ...(seconds === undefined ? {} : { durationSec: seconds }) } }, `Poll opened for ${creator.id}`);
  }
  return act(rt, creator.id, { type: 'poll.close', params: {} }, `Poll closed for ${creator.id}`);
}

async function act(rt: CommandRuntime, creatorId: string, action: { type: string; params: Record<string, unknown> }, title: string): Promise<Reply> {
  const record = await actionsOf(rt, action.type).dispatch(action, { creatorId });
  if (record.outcome === 'failed') throw new SS_ERR_DISCORD_ACTION_FAILED(action.type, record.error?.cause?.message ?? record.error?.message ?? 'unknown');
  return { title, ...(record.outcome === 'dry-run' ? { description: 'Dry run: recorded, not run.' } : {}) };
}

function boards(title: string, values: Map<string, Map<string, number>>): Reply {
  if (values.size === 0) return { title, description: `No ${title.toLowerCase()} yet.` };
  return {
    title,
    fields: [...values].slice(0, 25).map(([id, labels]) => ({
      name: id,
      value: list([...labels].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label, n]) => `${label}: ${n}`)),
    })),
  };
}

/** The runtime's actions, or the coded refusal of a control plane that runs apart from the runtime. */
function actionsOf(rt: CommandRuntime, what: string): ActionDispatcher {
  if (rt.actions === undefined) throw new SS_ERR_DISCORD_NOT_AVAILABLE(`${what} in standalone mode (the streaming runtime is another process)`);
  return rt.actions;
}

function inRange(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new SS_ERR_DISCORD_OPTION_INVALID(option, `must be a whole number from ${min} to ${max} (got ${value})`);
  return value;
}

function creatorOf(rt: CommandRuntime, id: string | undefined): { id: string; plugins: readonly string[] } {
  const creators = rt.creators();
  const found = creators.find((c) => c.id === id);
  if (found === undefined) throw new SS_ERR_DISCORD_CREATOR_NOT_FOUND(id ?? '', creators.map((c) => c.id).join(', ') || 'none');
  return found;
}

function describe(params: Record<string, unknown>): string {
  const text = JSON.stringify(params);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
