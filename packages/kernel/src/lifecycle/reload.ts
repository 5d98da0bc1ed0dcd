import { isDeepStrictEqual } from 'node:util';
import { SS_ERR_RELOAD_RESTART_REQUIRED } from '../errors.js';
import type { ManifestIssue } from '../manifest/issues.js';
import type { ResolvedCreator, ResolvedManifest } from '../manifest/schema.js';
import type { AnyPlugin } from '../plugin.js';

/** What a reload will do, worked out before anything is applied. */
export interface ReloadPlan {
  added: ResolvedCreator[];
  removed: string[];
  updated: ResolvedCreator[];
  /** Top-level sections whose value changed. */
  sections: string[];
  logLevelChanged: boolean;
}

/**
 * The changes a running kernel cannot take live, as issues: the plugin set
 * (register and init ran once, for the plugins loaded at boot), plugin-wide
 * config (plugins read it in init), and the kernel's own settings that
 * services were built with.
 */
export function restartRequired(current: ResolvedManifest, next: ResolvedManifest, running: readonly AnyPlugin[], loaded: readonly AnyPlugin[]): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  const issue = (path: string, what: string) => {
    const error = new SS_ERR_RELOAD_RESTART_REQUIRED(what);
    issues.push({ code: error.code, path, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) });
  };
  const before = new Map(running.map((p) => [p.id, p]));
  const after = new Map(loaded.map((p) => [p.id, p]));
  for (const id of after.keys()) if (!before.has(id)) issue(`/plugins/${id}`, `plugin "${id}" was added`);
  for (const id of before.keys()) if (!after.has(id)) issue('/plugins', `plugin "${id}" was removed`);
  for (const [id, plugin] of after) {
    const old = before.get(id);
    if (old !== undefined && old !== plugin) issue(`/plugins/${id}`, `the package of plugin "${id}"`);
    if (old !== undefined && !isDeepStrictEqual(current.plugins[id]?.config, next.plugins[id]?.config)) issue(`/plugins/${id}/config`, `the plugin-wide config of "${id}"`);
  }
  if (current.dataDir !== next.dataDir) issue('/dataDir', '"dataDir"');
  if (!isDeepStrictEqual(current.timeouts, next.timeouts)) issue('/timeouts', '"timeouts"');
  if (current.onBootFailure !== next.onBootFailure) issue('/onBootFailure', '"onBootFailure"');
  if (current.kernel !== next.kernel) issue('/kernel', '"kernel"');
  return issues;
}

/** Creators added, removed and changed; top-level sections changed. */
export function planReload(current: ResolvedManifest, running: ReadonlyMap<string, ResolvedCreator>, next: ResolvedManifest): ReloadPlan {
  const added: ResolvedCreator[] = [];
  const updated: ResolvedCreator[] = [];
  for (const [id, creator] of Object.entries(next.creators)) {
    const old = running.get(id);
    if (old === undefined) added.push(creator);
    else if (!isDeepStrictEqual(old, creator)) updated.push(creator);
  }
  const removed = [...running.keys()].filter((id) => !Object.hasOwn(next.creators, id));
  const keys = new Set([...Object.keys(current.sections), ...Object.keys(next.sections)]);
  const sections = [...keys].filter((key) => !isDeepStrictEqual(current.sections[key], next.sections[key])).sort();
  return { added, removed, updated, sections, logLevelChanged: current.logLevel !== next.logLevel };
}
