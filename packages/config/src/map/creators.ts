import { didYouMean, suggest } from '@streamsuites/kernel';
import { OFFICIAL_PLUGINS, officialPluginPackage } from '@streamsuites/defaults';
import { isPlainObject } from '../builder.js';
import {
  SS_ERR_CONFIG_DISABLED,
  SS_ERR_CONFIG_DUPLICATE_CREATOR,
  SS_ERR_CONFIG_PACKAGE_MISSING,
  SS_ERR_CONFIG_UNKNOWN_PLATFORM,
  SS_ERR_CONFIG_UNKNOWN_SERVICE,
  SS_ERR_CONFIG_UNKNOWN_TIER,
} from '../errors.js';
import { PLATFORM_PLUGINS } from '../formats.js';
import type { MapContext, MappedCreator } from './context.js';

const CREATOR_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface MappedCreators {
  creators: MappedCreator[];
  /** Ids of the creators listed with `"enabled": false`. */
  disabled: Set<string>;
}

/** The platform names a creator may use: ours, and those platforms.json declares. */
export function knownPlatforms(ctx: MapContext): string[] {
  const declared = ctx.file('platforms.json')?.value.platforms;
  return [...new Set([...Object.keys(PLATFORM_PLUGINS), ...(isPlainObject(declared) ? Object.keys(declared) : [])])];
}

/** tiers.json: the top-level `tiers`, tier by tier (tier names are data: never converted). Returns the names. */
export function mapTiers(ctx: MapContext): string[] {
  const tiers = ctx.file('tiers.json')?.value.tiers;
  if (!isPlainObject(tiers)) return [];
  for (const [name, limits] of Object.entries(tiers)) ctx.builder.merge(['tiers', name], limits, ctx.origin('tiers.json', 'tiers', name));
  return Object.keys(tiers);
}

/**
 * creators.json: each enabled creator → `creators.<id>`; its enabled
 * platforms and services → `enable` (plugin ids) and their settings →
 * `config.<plugin id>`; an official plugin no file declares is declared
 * with its package.
 */
export function mapCreators(ctx: MapContext, tierNames: readonly string[]): MappedCreators {
  const out: MappedCreators = { creators: [], disabled: new Set() };
  ctx.builder.merge(['creators'], {}, ctx.origin('creators.json', 'creators'), { convert: false });
  const list = ctx.file('creators.json')?.value.creators;
  if (!Array.isArray(list)) return out;
  const platforms = knownPlatforms(ctx);
  const declaredServices = ctx.file('services.json')?.value.services;
  const services = [...new Set([...OFFICIAL_PLUGINS.keys(), ...(isPlainObject(declaredServices) ? Object.keys(declaredServices) : [])])];
  list.forEach((entry, index) => {
    if (!isPlainObject(entry) || typeof entry.creator_id !== 'string' || !CREATOR_ID.test(entry.creator_id)) return; // the schema reported it
    const id = entry.creator_id;
    const at = (...path: (string | number)[]) => ctx.origin('creators.json', 'creators', index, ...path);
    if (out.creators.some((c) => c.id === id) || out.disabled.has(id)) {
      ctx.problem(at('creator_id'), new SS_ERR_CONFIG_DUPLICATE_CREATOR(id));
      return;
    }
    if (entry.enabled === false) {
      out.disabled.add(id);
      ctx.skip('creators.json', `/creators/${index}`, `creator "${id}" is disabled: left out of the manifest`);
      return;
    }
    const creator: MappedCreator = { id, enable: [] };
    out.creators.push(creator);
    ctx.builder.merge(['creators', id], {}, at(), { convert: false });
    if (typeof entry.display_name === 'string') ctx.builder.merge(['creators', id, 'displayName'], entry.display_name, at('display_name'));
    ctx.builder.merge(['creators', id, 'enable'], [], at(), { conflicts: false });
    ctx.builder.merge(['creators', id, 'config'], {}, at(), { conflicts: false });
    for (const kind of ['platforms', 'services'] as const) {
      const map = entry[kind];
      if (!isPlainObject(map)) continue;
      for (const [name, value] of Object.entries(map)) {
        if (!isPlainObject(value) || value.enabled === false) continue;
        const pluginId = pluginOf(ctx, kind, id, name, at(kind, name), kind === 'platforms' ? platforms : services);
        if (pluginId === undefined || creator.enable.includes(pluginId)) continue;
        ctx.builder.merge(['creators', id, 'enable', creator.enable.length], pluginId, at(kind, name), { conflicts: false });
        creator.enable.push(pluginId);
        const settings = Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'enabled'));
        if (Object.keys(settings).length > 0) ctx.builder.merge(['creators', id, 'config', pluginId], settings, at(kind, name));
      }
    }
    if (typeof entry.tier === 'string') mapTier(ctx, id, entry.tier, at('tier'), tierNames);
  });
  return out;
}

/** The plugin a creator's platform or service is, declared if it is official and no file did; undefined (reported) when it cannot be used. */
function pluginOf(ctx: MapContext, kind: 'platforms' | 'services', creatorId: string, name: string, at: ReturnType<MapContext['origin']>, known: readonly string[]): string | undefined {
  if (!known.includes(name)) {
    // A platforms.json / services.json that could not be read may declare it: its own problem is the one reported.
    if (ctx.broken.has(`${kind}.json`)) return undefined;
    const error = kind === 'platforms' ? new SS_ERR_CONFIG_UNKNOWN_PLATFORM(`creator "${creatorId}"`, name) : new SS_ERR_CONFIG_UNKNOWN_SERVICE(creatorId, name);
    ctx.problem(at, error, didYouMean(suggest(name, known)));
    return undefined;
  }
  const pluginId = kind === 'platforms' ? (PLATFORM_PLUGINS[name] ?? name) : name;
  const declaration = ctx.declared.get(pluginId);
  if (declaration?.enabled === false) {
    ctx.problem(at, new SS_ERR_CONFIG_DISABLED(creatorId, name, declaration.file));
    return undefined;
  }
  if (declaration === undefined) {
    const pkg = officialPluginPackage(pluginId);
    if (pkg === undefined) {
      ctx.problem(at, new SS_ERR_CONFIG_PACKAGE_MISSING('creators.json', name));
      return undefined;
    }
    ctx.declared.set(pluginId, { file: 'creators.json', enabled: true, name });
    ctx.builder.merge(['plugins', pluginId, 'package'], pkg, at, { convert: false, conflicts: false });
  }
  return pluginId;
}

/** Only a known tier is mapped: the tier plugin would report an unknown one a second time. */
function mapTier(ctx: MapContext, creatorId: string, tier: string, at: ReturnType<MapContext['origin']>, tierNames: readonly string[]): void {
  if (ctx.broken.has('tiers.json')) return; // its own problem is reported; the tier is left out meanwhile
  if (tierNames.includes(tier)) {
    ctx.builder.merge(['creators', creatorId, 'tier'], tier, at);
    return;
  }
  const hint = ctx.file('tiers.json') === undefined ? 'There is no tiers.json in the folder.' : didYouMean(suggest(tier, tierNames));
  ctx.problem(at, new SS_ERR_CONFIG_UNKNOWN_TIER(creatorId, tier), hint);
}
