import { officialPluginPackage } from '@streamsuites/defaults';
import { isPlainObject } from '../builder.js';
import { SS_ERR_CONFIG_PACKAGE_MISSING } from '../errors.js';
import { PLATFORM_PLUGINS } from '../formats.js';
import { camelKey } from '../keys.js';
import type { MapContext } from './context.js';

const PLUGIN_KEYS = new Set(['enabled', 'package']);
/** The `system` keys the schema knows: an unknown one is reported once, by the schema, not again by the kernel. */
const SYSTEM_KEYS = ['kernel', 'data_dir', 'log_level', 'on_boot_failure', 'timeouts'];

/** system.json's `system` and logging.json: the kernel's own keys. */
export function mapKernelKeys(ctx: MapContext): void {
  const system = ctx.file('system.json')?.value.system;
  if (isPlainObject(system)) {
    for (const [key, value] of Object.entries(system)) if (SYSTEM_KEYS.includes(key)) ctx.builder.merge([camelKey(key)], value, ctx.origin('system.json', 'system', key));
  }
  const logging = ctx.file('logging.json')?.value;
  if (logging === undefined) return;
  if (logging.level !== undefined) ctx.builder.merge(['logLevel'], logging.level, ctx.origin('logging.json', 'level'));
  if (logging.pretty !== undefined) ctx.skip('logging.json', '/pretty', 'StreamSuites logs pretty on a terminal and JSON otherwise; there is no setting');
  if (logging.redact !== undefined) ctx.skip('logging.json', '/redact', 'StreamSuites redacts secrets by key (*.token, *.apiKey, *.clientSecret) and every ${env:...} value; there is no list to configure');
}

/** platforms.json, services.json, then system.json's plugin sections: `plugins.<id>` (package and plugin-wide config). */
export function mapPlugins(ctx: MapContext): void {
  const platforms = ctx.file('platforms.json')?.value.platforms;
  if (isPlainObject(platforms)) for (const [name, entry] of Object.entries(platforms)) declare(ctx, 'platforms.json', 'platforms', name, entry, PLATFORM_PLUGINS[name] ?? name);
  const services = ctx.file('services.json')?.value.services;
  if (isPlainObject(services)) for (const [name, entry] of Object.entries(services)) declare(ctx, 'services.json', 'services', name, entry, name);
  const system = ctx.file('system.json')?.value;
  if (system !== undefined) mapSystemPlugins(ctx, system);
}

function declare(ctx: MapContext, fileName: string, listKey: string, name: string, entry: unknown, pluginId: string): void {
  if (!isPlainObject(entry)) return; // the schema reported it
  const at = ctx.origin(fileName, listKey, name);
  if (entry.enabled === false) {
    ctx.declared.set(pluginId, { file: fileName, enabled: false, name });
    ctx.skip(fileName, `/${listKey}/${name}`, `"${name}" is disabled: no plugin is loaded for it`);
    return;
  }
  ctx.declared.set(pluginId, { file: fileName, enabled: true, name });
  const pkg = typeof entry.package === 'string' ? entry.package : officialPluginPackage(pluginId);
  if (pkg === undefined) ctx.problem(at, new SS_ERR_CONFIG_PACKAGE_MISSING(fileName, name));
  else ctx.builder.merge(['plugins', pluginId, 'package'], pkg, typeof entry.package === 'string' ? ctx.origin(fileName, listKey, name, 'package') : at, { convert: false });
  const settings = Object.fromEntries(Object.entries(entry).filter(([key]) => !PLUGIN_KEYS.has(key)));
  if (Object.keys(settings).length > 0) ctx.builder.merge(['plugins', pluginId, 'config'], settings, at);
}

/** system.json's plugin sections: clips (its destination keys keep the plugin's own names), exports, chatlog. */
function mapSystemPlugins(ctx: MapContext, system: Record<string, unknown>): void {
  for (const pluginId of ['clips', 'exports', 'chatlog']) {
    const section = system[pluginId];
    if (!isPlainObject(section)) continue;
    const at = ctx.origin('system.json', pluginId);
    if (ctx.declared.get(pluginId)?.enabled === false) continue;
    if (!ctx.declared.has(pluginId)) {
      ctx.declared.set(pluginId, { file: 'system.json', enabled: true, name: pluginId });
      ctx.builder.merge(['plugins', pluginId, 'package'], officialPluginPackage(pluginId)!, at, { convert: false });
    }
    const config = ['plugins', pluginId, 'config'];
    const destinationKeys = pluginId === 'clips' ? ['default_destination', 'destination', 'rumble'] : [];
    const rest = Object.fromEntries(Object.entries(section).filter(([key]) => !destinationKeys.includes(key)));
    if (Object.keys(rest).length > 0) ctx.builder.merge(config, rest, at);
    // plugin-clips names these as the reference does (default_destination.channel_url): kept verbatim.
    if (section.default_destination !== undefined) ctx.builder.merge([...config, 'destinations', 'default_destination'], section.default_destination, ctx.origin('system.json', 'clips', 'default_destination'), { convert: false });
    if (section.destination !== undefined) ctx.builder.merge([...config, 'destinations', 'destination'], section.destination, ctx.origin('system.json', 'clips', 'destination'));
    if (section.rumble !== undefined) ctx.builder.merge([...config, 'destinations', 'rumble'], section.rumble, ctx.origin('system.json', 'clips', 'rumble'));
  }
}
