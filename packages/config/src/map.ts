import { didYouMean, suggest, type ManifestIssue } from '@streamsuites/kernel';
import { OFFICIAL_PLUGINS, officialPluginPackage } from '@streamsuites/defaults';
import { isPlainObject, ManifestBuilder, type Origin } from './builder.js';
import {
  SS_ERR_CONFIG_CONFLICT,
  SS_ERR_CONFIG_DISABLED,
  SS_ERR_CONFIG_DUPLICATE_CREATOR,
  SS_ERR_CONFIG_PACKAGE_MISSING,
  SS_ERR_CONFIG_UNKNOWN_CREATOR,
  SS_ERR_CONFIG_UNKNOWN_PLATFORM,
  SS_ERR_CONFIG_UNKNOWN_SERVICE,
  SS_ERR_CONFIG_UNKNOWN_TIER,
} from './errors.js';
import type { LoadedFile } from './files.js';
import { PLATFORM_PLUGINS, RULE_SECTIONS } from './formats.js';
import { camelKey } from './keys.js';

/** A setting of the folder that has no place in the manifest. */
export interface Unmapped {
  /** The file's name in the folder (`logging.json`). */
  file: string;
  /** JSON Pointer of the setting inside that file. */
  path: string;
  reason: string;
}

const SYSTEM_KEYS = ['kernel', 'data_dir', 'log_level', 'on_boot_failure', 'timeouts'];
const CREATOR_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const PLUGIN_KEYS = new Set(['enabled', 'package']);

/** What ratelimits.json keys become: a plugin-wide config path, or why they have none. */
const RATE_LIMITS: Readonly<Record<string, Readonly<Record<string, { plugin: string; path: string[] } | { quota: string } | { reason: string }>>>> = {
  twitch: {
    logins_per_10s: { plugin: 'twitch', path: ['loginsPer10s'] },
    send_queue_limit: { plugin: 'twitch', path: ['sendQueueLimit'] },
    messages_per_30s: { reason: 'plugin-twitch applies Twitch\'s own chat send limits (20 per 30 s, 100 as moderator); they are not configurable' },
    moderator_messages_per_30s: { reason: 'plugin-twitch applies Twitch\'s own chat send limits (20 per 30 s, 100 as moderator); they are not configurable' },
  },
  rumble: {
    requests_per_minute: { plugin: 'rumble', path: ['requestsPerMinute'] },
    sends_per_minute: { plugin: 'rumble', path: ['browser', 'sendsPerMinute'] },
  },
  youtube: {
    daily_units: { quota: 'daily' },
    buffer_units: { quota: 'buffer' },
    time_zone: { quota: 'timeZone' },
  },
  discord: {
    requests_per_second: { reason: 'discord.js follows Discord\'s own REST rate limits; there is no setting for them' },
  },
};

interface Creator {
  id: string;
  index: number;
  entry: Record<string, unknown>;
  /** Plugin ids it enables. */
  enable: string[];
}

/**
 * Maps the parsed files to the manifest (see the README's mapping table).
 * Reads defensively: a file with schema problems (already reported) still
 * maps what it can, so the problems only plugins find are listed too.
 */
export function mapFolder(
  files: ReadonlyMap<string, LoadedFile>,
  issues: ManifestIssue[],
  unmapped: Unmapped[],
  broken: ReadonlySet<string> = new Set(),
): ManifestBuilder {
  const parsed = new Map([...files.values()].map((f) => [f.path, f.parsed]));
  const builder = new ManifestBuilder(parsed, (manifestPath, first, second) => {
    const error = new SS_ERR_CONFIG_CONFLICT(manifestPath, describeOrigin(files, first), describeOrigin(files, second));
    issues.push(located(files, second, error.code, error.message, error.hint!));
  });
  const file = (name: string) => files.get(name);
  const origin = (name: string, ...path: (string | number)[]): Origin => ({ file: file(name)!.path, path });
  const problem = (o: Origin, error: { code: string; message: string; hint?: string }, mean = '') =>
    issues.push(located(files, o, error.code, error.message, mean === '' ? error.hint! : `${error.hint!} ${mean}`));
  const skip = (name: string, path: string, reason: string) => unmapped.push({ file: name, path, reason });

  builder.merge(['creators'], {}, { file: file('creators.json')?.path ?? '', path: ['creators'] }, { convert: false });

  // system.json: kernel keys, then the settings of clips, exports and chatlog.
  const system = file('system.json')?.value;
  if (isPlainObject(system?.system)) {
    // Only the keys the schema knows: an unknown one is reported once, by the schema, not again by the kernel.
    for (const [key, value] of Object.entries(system.system)) if (SYSTEM_KEYS.includes(key)) builder.merge([camelKey(key)], value, origin('system.json', 'system', key));
  }
  const logging = file('logging.json')?.value;
  if (logging !== undefined) {
    if (logging.level !== undefined) builder.merge(['logLevel'], logging.level, origin('logging.json', 'level'));
    if (logging.pretty !== undefined) skip('logging.json', '/pretty', 'StreamSuites logs pretty on a terminal and JSON otherwise; there is no setting');
    if (logging.redact !== undefined) skip('logging.json', '/redact', 'StreamSuites redacts secrets by key (*.token, *.apiKey, *.clientSecret) and every ${env:...} value; there is no list to configure');
  }

  // Plugins: platforms.json, services.json, then system.json's plugin sections.
  const declared = new Map<string, { file: string; enabled: boolean; name: string }>();
  const declare = (fileName: string, listKey: string, name: string, entry: unknown, pluginId: string) => {
    const o = origin(fileName, listKey, name);
    if (!isPlainObject(entry)) return;
    if (entry.enabled === false) {
      declared.set(pluginId, { file: fileName, enabled: false, name });
      skip(fileName, `/${listKey}/${name}`, `"${name}" is disabled: no plugin is loaded for it`);
      return;
    }
    declared.set(pluginId, { file: fileName, enabled: true, name });
    const pkg = typeof entry.package === 'string' ? entry.package : officialPluginPackage(pluginId);
    if (pkg === undefined) problem(o, new SS_ERR_CONFIG_PACKAGE_MISSING(fileName, name));
    else builder.merge(['plugins', pluginId, 'package'], pkg, typeof entry.package === 'string' ? origin(fileName, listKey, name, 'package') : o, { convert: false });
    const settings = Object.fromEntries(Object.entries(entry).filter(([k]) => !PLUGIN_KEYS.has(k)));
    if (Object.keys(settings).length > 0) builder.merge(['plugins', pluginId, 'config'], settings, o);
  };
  const platforms = file('platforms.json')?.value.platforms;
  if (isPlainObject(platforms)) for (const [name, entry] of Object.entries(platforms)) declare('platforms.json', 'platforms', name, entry, PLATFORM_PLUGINS[name] ?? name);
  const services = file('services.json')?.value.services;
  if (isPlainObject(services)) for (const [name, entry] of Object.entries(services)) declare('services.json', 'services', name, entry, name);
  if (system !== undefined) mapSystemPlugins(system, builder, origin, declared);

  // tiers.json: the top-level section, tier by tier (tier names are data: never converted).
  const tiers = file('tiers.json')?.value.tiers;
  const tierNames = isPlainObject(tiers) ? Object.keys(tiers) : [];
  if (isPlainObject(tiers)) for (const [name, limits] of Object.entries(tiers)) builder.merge(['tiers', name], limits, origin('tiers.json', 'tiers', name));

  // creators.json.
  const creators: Creator[] = [];
  const disabledCreators = new Set<string>();
  const list = file('creators.json')?.value.creators;
  const knownPlatforms = [...new Set([...Object.keys(PLATFORM_PLUGINS), ...(isPlainObject(platforms) ? Object.keys(platforms) : [])])];
  const knownServices = [...new Set([...OFFICIAL_PLUGINS.keys(), ...(isPlainObject(services) ? Object.keys(services) : [])])];
  if (Array.isArray(list)) {
    list.forEach((entry, index) => {
      if (!isPlainObject(entry) || typeof entry.creator_id !== 'string' || !CREATOR_ID.test(entry.creator_id)) return; // the schema reported it
      const id = entry.creator_id;
      const o = origin('creators.json', 'creators', index);
      if (creators.some((c) => c.id === id) || disabledCreators.has(id)) {
        problem(origin('creators.json', 'creators', index, 'creator_id'), new SS_ERR_CONFIG_DUPLICATE_CREATOR(id));
        return;
      }
      if (entry.enabled === false) {
        disabledCreators.add(id);
        skip('creators.json', `/creators/${index}`, `creator "${id}" is disabled: left out of the manifest`);
        return;
      }
      const creator: Creator = { id, index, entry, enable: [] };
      creators.push(creator);
      builder.merge(['creators', id], {}, o, { convert: false });
      if (typeof entry.display_name === 'string') builder.merge(['creators', id, 'displayName'], entry.display_name, origin('creators.json', 'creators', index, 'display_name'));
      builder.merge(['creators', id, 'enable'], [], o, { conflicts: false });
      builder.merge(['creators', id, 'config'], {}, o, { conflicts: false });
      const use = (kind: 'platforms' | 'services', name: string, settings: Record<string, unknown>) => {
        const at = origin('creators.json', 'creators', index, kind, name);
        let pluginId: string;
        if (kind === 'platforms') {
          if (!knownPlatforms.includes(name)) {
            // A platforms.json that could not be read may declare it: its own problem is the one reported.
            if (!broken.has('platforms.json')) problem(at, new SS_ERR_CONFIG_UNKNOWN_PLATFORM(`creator "${id}"`, name), didYouMean(suggest(name, knownPlatforms)));
            return;
          }
          pluginId = PLATFORM_PLUGINS[name] ?? name;
        } else {
          if (!knownServices.includes(name)) {
            if (!broken.has('services.json')) problem(at, new SS_ERR_CONFIG_UNKNOWN_SERVICE(id, name), didYouMean(suggest(name, knownServices)));
            return;
          }
          pluginId = name;
        }
        const declaration = declared.get(pluginId);
        if (declaration?.enabled === false) {
          problem(at, new SS_ERR_CONFIG_DISABLED(id, name, declaration.file));
          return;
        }
        if (declaration === undefined) {
          // An official plugin the creator uses and no file declares: loaded from its official package.
          const pkg = officialPluginPackage(pluginId);
          if (pkg === undefined) {
            problem(at, new SS_ERR_CONFIG_PACKAGE_MISSING('creators.json', name));
            return;
          }
          declared.set(pluginId, { file: 'creators.json', enabled: true, name });
          builder.merge(['plugins', pluginId, 'package'], pkg, at, { convert: false, conflicts: false });
        }
        if (creator.enable.includes(pluginId)) return;
        builder.merge(['creators', id, 'enable', creator.enable.length], pluginId, at, { conflicts: false });
        creator.enable.push(pluginId);
        if (Object.keys(settings).length > 0) builder.merge(['creators', id, 'config', pluginId], settings, at);
      };
      for (const kind of ['platforms', 'services'] as const) {
        const map = entry[kind];
        if (!isPlainObject(map)) continue;
        for (const [name, value] of Object.entries(map)) {
          if (!isPlainObject(value)) continue;
          if (value.enabled === false) continue;
          use(kind, name, Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'enabled')));
        }
      }
      if (typeof entry.tier === 'string') {
        const at = origin('creators.json', 'creators', index, 'tier');
        if (broken.has('tiers.json')) {
          // tiers.json could not be read: its own problem is reported, and the tier is left out meanwhile.
        } else if (!tierNames.includes(entry.tier)) {
          const error = new SS_ERR_CONFIG_UNKNOWN_TIER(id, entry.tier);
          const mean = didYouMean(suggest(entry.tier, tierNames));
          problem(at, error, file('tiers.json') === undefined ? 'There is no tiers.json in the folder.' : mean);
        } else {
          // Only a known tier is mapped: the tier plugin would report an unknown one a second time.
          builder.merge(['creators', id, 'tier'], entry.tier, at);
        }
      }
    });
  }
  const creatorIds = creators.map((c) => c.id);
  const isMapped = (fileName: string, id: string, at: Origin) => {
    if (creatorIds.includes(id)) return true;
    if (disabledCreators.has(id)) {
      skip(fileName, `/creators/${id}`, `creator "${id}" is disabled in creators.json`);
      return false;
    }
    if (broken.has('creators.json')) return false;
    problem(at, new SS_ERR_CONFIG_UNKNOWN_CREATOR(fileName, id), didYouMean(suggest(id, creatorIds)));
    return false;
  };

  // Rule files: defaults for every creator, each creator's own entry over them.
  for (const [fileName, section] of Object.entries(RULE_SECTIONS)) {
    const rules = file(fileName)?.value;
    if (rules === undefined) continue;
    const own = isPlainObject(rules.creators) ? rules.creators : {};
    for (const id of Object.keys(own)) isMapped(fileName, id, origin(fileName, 'creators', id));
    for (const creator of creators) {
      if (isPlainObject(rules.defaults)) builder.merge(['creators', creator.id, section], rules.defaults, origin(fileName, 'defaults'), { conflicts: false });
      if (isPlainObject(own[creator.id])) builder.merge(['creators', creator.id, section], own[creator.id], origin(fileName, 'creators', creator.id), { conflicts: false });
    }
  }

  // chat_triggers.json: defaults first, a creator's trigger of the same id in its place, then the creator's others.
  const triggers = file('chat_triggers.json')?.value;
  if (triggers !== undefined) {
    const defaults = Array.isArray(triggers.defaults) ? triggers.defaults : [];
    const own = isPlainObject(triggers.creators) ? triggers.creators : {};
    for (const id of Object.keys(own)) isMapped('chat_triggers.json', id, origin('chat_triggers.json', 'creators', id));
    for (const creator of creators) {
      const mine = Array.isArray(own[creator.id]) ? (own[creator.id] as unknown[]) : [];
      const idOf = (t: unknown) => (isPlainObject(t) && typeof t.id === 'string' ? t.id : undefined);
      const out: { value: unknown; at: Origin }[] = [];
      const used = new Set<number>();
      defaults.forEach((t, i) => {
        const replaced = idOf(t) === undefined ? -1 : mine.findIndex((m) => idOf(m) === idOf(t));
        if (replaced >= 0) used.add(replaced);
        out.push(replaced >= 0 ? { value: mine[replaced], at: origin('chat_triggers.json', 'creators', creator.id, replaced) } : { value: t, at: origin('chat_triggers.json', 'defaults', i) });
      });
      mine.forEach((t, i) => void (used.has(i) || out.push({ value: t, at: origin('chat_triggers.json', 'creators', creator.id, i) })));
      if (out.length === 0) continue;
      builder.merge(['creators', creator.id, 'triggers'], [], origin('chat_triggers.json', ...(isPlainObject(own[creator.id]) || Array.isArray(own[creator.id]) ? ['creators', creator.id] : ['defaults'])), { conflicts: false });
      out.forEach(({ value, at }, i) => builder.merge(['creators', creator.id, 'triggers', i], value, at, { conflicts: false }));
    }
  }

  // identities.json: people → the top-level "identities" ("<plugin id>:<user id>" accounts).
  const people = file('identities.json')?.value.people;
  if (isPlainObject(people)) {
    for (const [personId, person] of Object.entries(people)) {
      if (!isPlainObject(person)) continue;
      const at = origin('identities.json', 'people', personId);
      builder.merge(['identities', personId], {}, at, { convert: false });
      if (typeof person.display_name === 'string') builder.merge(['identities', personId, 'displayName'], person.display_name, origin('identities.json', 'people', personId, 'display_name'));
      const accounts = Array.isArray(person.accounts) ? person.accounts : [];
      builder.merge(['identities', personId, 'accounts'], [], origin('identities.json', 'people', personId, 'accounts'));
      accounts.forEach((account, i) => {
        if (!isPlainObject(account) || typeof account.platform !== 'string' || typeof account.user_id !== 'string') return;
        const accountAt = origin('identities.json', 'people', personId, 'accounts', i);
        if (!knownPlatforms.includes(account.platform)) {
          problem(accountAt, new SS_ERR_CONFIG_UNKNOWN_PLATFORM(`identity "${personId}"`, account.platform), didYouMean(suggest(account.platform, knownPlatforms)));
        }
        builder.merge(['identities', personId, 'accounts', i], `${PLATFORM_PLUGINS[account.platform] ?? account.platform}:${account.user_id}`, accountAt);
      });
    }
  }

  // ratelimits.json: into the plugin configs and creator quotas that hold them today.
  const limits = file('ratelimits.json')?.value.platforms;
  if (isPlainObject(limits)) {
    for (const [platform, values] of Object.entries(limits)) {
      if (!isPlainObject(values)) continue;
      for (const [key, value] of Object.entries(values)) {
        const target = RATE_LIMITS[platform]?.[key];
        const at = origin('ratelimits.json', 'platforms', platform, key);
        const path = `/platforms/${platform}/${key}`;
        if (target === undefined) continue; // the schema reported it
        if ('reason' in target) {
          skip('ratelimits.json', path, target.reason);
        } else if ('plugin' in target) {
          if (declared.get(target.plugin)?.enabled !== true) skip('ratelimits.json', path, `no creator or file enables ${platform}, so there is no plugin to set it on`);
          else builder.merge(['plugins', target.plugin, 'config', ...target.path], value, at);
        } else {
          const users = creators.filter((c) => c.enable.includes('youtube'));
          if (users.length === 0) skip('ratelimits.json', path, 'no creator enables youtube, so there is no quota to set');
          for (const creator of users) builder.merge(['creators', creator.id, 'quotas', 'youtube', target.quota], value, at);
        }
      }
    }
  }
  return builder;
}

/** system.json's plugin sections: clips (its destination keys keep the plugin's own names), exports, chatlog. */
function mapSystemPlugins(
  system: Record<string, unknown>,
  builder: ManifestBuilder,
  origin: (name: string, ...path: (string | number)[]) => Origin,
  declared: Map<string, { file: string; enabled: boolean; name: string }>,
): void {
  for (const pluginId of ['clips', 'exports', 'chatlog']) {
    const section = system[pluginId];
    if (!isPlainObject(section)) continue;
    const at = origin('system.json', pluginId);
    if (declared.get(pluginId)?.enabled === false) continue;
    if (!declared.has(pluginId)) {
      declared.set(pluginId, { file: 'system.json', enabled: true, name: pluginId });
      builder.merge(['plugins', pluginId, 'package'], officialPluginPackage(pluginId)!, at, { convert: false });
    }
    const config = ['plugins', pluginId, 'config'];
    const rest = Object.fromEntries(Object.entries(section).filter(([k]) => pluginId !== 'clips' || !['default_destination', 'destination', 'rumble'].includes(k)));
    builder.merge(config, rest, at);
    if (pluginId !== 'clips') continue;
    // plugin-clips names these as the reference does (default_destination.channel_url): kept verbatim.
    if (section.default_destination !== undefined) builder.merge([...config, 'destinations', 'default_destination'], section.default_destination, origin('system.json', 'clips', 'default_destination'), { convert: false });
    if (section.destination !== undefined) builder.merge([...config, 'destinations', 'destination'], section.destination, origin('system.json', 'clips', 'destination'));
    if (section.rumble !== undefined) builder.merge([...config, 'destinations', 'rumble'], section.rumble, origin('system.json', 'clips', 'rumble'));
  }
}

function located(files: ReadonlyMap<string, LoadedFile>, origin: Origin, code: string, message: string, hint: string): ManifestIssue {
  const file = [...files.values()].find((f) => f.path === origin.file);
  const position = file?.parsed.positionOf(origin.path);
  const path = origin.path.length === 0 ? '/' : origin.path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  return { code, path, file: origin.file, ...(position === undefined ? {} : { position }), message, hint };
}

function describeOrigin(files: ReadonlyMap<string, LoadedFile>, origin: Origin): string {
  const name = [...files.values()].find((f) => f.path === origin.file)?.name ?? origin.file;
  return `${name} (${origin.path.join('.')})`;
}
