import type { ClipDestination } from '../types.js';
import {
  DEFAULT_CHANNEL_URL,
  httpDestinationOptionsSchema,
  localDestinationOptionsSchema,
  rumbleDestinationOptionsSchema,
  type CustomDestinationRule,
  type DestinationDefaultsConfig,
  type DestinationRule,
  type HttpDestinationOptions,
  type LocalDestinationOptions,
  type RumbleDestinationOptions,
} from './config.js';
import { SS_ERR_CLIPS_DESTINATION_INVALID } from './errors.js';
import { HttpDestination } from './http.js';
import { LocalDestination } from './local.js';
import { RumbleDestination } from './rumble.js';
import { silentLogger, type DestinationLogger } from './shared.js';

/** Builds a destination of a kind another plugin adds. */
export type DestinationFactory = (options: Record<string, unknown>, context: { log: DestinationLogger }) => ClipDestination;

/**
 * Plugin-wide settings (`plugins.clips.config`, see `destinationDefaultsSchema`)
 * plus what code supplies: the logger and the factories of other kinds.
 */
export interface DestinationDefaults extends DestinationDefaultsConfig {
  /** Destination kinds added by other plugins, by kind. The built-in kinds cannot be replaced. */
  kinds?: Readonly<Record<string, DestinationFactory>>;
  log?: DestinationLogger;
  /** Folder that relative local `dir`s are resolved against (the plugin passes the manifest's dataDir). */
  baseDir?: string;
}

export const BUILTIN_DESTINATION_KINDS = ['local', 'http', 'rumble'] as const;

/**
 * The destination of one creator: the creator's rule when it has one, else
 * the plugin-wide `destination` rule, else Rumble to
 * `default_destination.channel_url` (https://rumble.com/c/StreamSuites by
 * default). Rumble options merge field by field: plugin-wide `rumble`
 * settings (browser, credentials, screenshots), then the default channel,
 * then the rule's own options (`selectors` and `timeouts` merge per key).
 * Throws SS_ERR_CLIPS_DESTINATION_INVALID for an unknown kind or bad options.
 */
export function resolveDestination(
  creatorRule: DestinationRule | CustomDestinationRule | undefined,
  defaults: DestinationDefaults = {},
): ClipDestination {
  const rule: DestinationRule | CustomDestinationRule = creatorRule ?? defaults.destination ?? { kind: 'rumble' };
  const log = defaults.log ?? silentLogger;
  if (typeof rule !== 'object' || rule === null || typeof rule.kind !== 'string' || rule.kind === '') {
    throw new SS_ERR_CLIPS_DESTINATION_INVALID(String((rule as { kind?: unknown } | null)?.kind ?? '?'), 'a destination rule is { kind, options }');
  }
  const options = rule.options;
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new SS_ERR_CLIPS_DESTINATION_INVALID(rule.kind, 'options must be an object');
  }
  switch (rule.kind) {
    case 'local':
      if (options === undefined) throw new SS_ERR_CLIPS_DESTINATION_INVALID('local', 'options.dir (the target folder) is required');
      checkKeys('local', options, localDestinationOptionsSchema.properties);
      return new LocalDestination(options as LocalDestinationOptions, { log, ...(defaults.baseDir === undefined ? {} : { baseDir: defaults.baseDir }) });
    case 'http':
      if (options === undefined) throw new SS_ERR_CLIPS_DESTINATION_INVALID('http', 'options.url (the upload endpoint) is required');
      checkKeys('http', options, httpDestinationOptionsSchema.properties);
      return new HttpDestination(options as HttpDestinationOptions, { log });
    case 'rumble': {
      const own = (options ?? {}) as RumbleDestinationOptions;
      checkKeys('rumble', own, rumbleDestinationOptionsSchema.properties);
      if (defaults.rumble !== undefined) checkKeys('rumble', defaults.rumble, rumbleDestinationOptionsSchema.properties);
      return new RumbleDestination(mergeRumble(defaults, own), { log });
    }
    default: {
      const factory = defaults.kinds !== undefined && Object.hasOwn(defaults.kinds, rule.kind) ? defaults.kinds[rule.kind] : undefined;
      if (factory === undefined) {
        throw new SS_ERR_CLIPS_DESTINATION_INVALID(rule.kind, `unknown kind; use ${BUILTIN_DESTINATION_KINDS.join(', ')}, or load the plugin that adds "${rule.kind}"`);
      }
      const destination = factory({ ...(options ?? {}) }, { log });
      if (typeof destination?.upload !== 'function') {
        throw new SS_ERR_CLIPS_DESTINATION_INVALID(rule.kind, 'its factory did not return a destination (an object with upload())');
      }
      return destination;
    }
  }
}

function mergeRumble(defaults: DestinationDefaults, own: RumbleDestinationOptions): RumbleDestinationOptions {
  const shared = defaults.rumble ?? {};
  const merged: RumbleDestinationOptions = {
    ...shared,
    channelUrl: defaults.default_destination?.channel_url ?? shared.channelUrl ?? DEFAULT_CHANNEL_URL,
    ...own,
  };
  const nested = ['timeouts', 'selectors', 'navigationBackoff'] as const;
  for (const key of nested) {
    if (shared[key] !== undefined && own[key] !== undefined) Object.assign(merged, { [key]: { ...shared[key], ...own[key] } });
  }
  // Credentials come as a pair: a creator's own username never goes with the plugin-wide password.
  if (own.username !== undefined || own.password !== undefined) {
    if (own.username === undefined) delete merged.username;
    if (own.password === undefined) delete merged.password;
  }
  return merged;
}

function checkKeys(kind: string, options: object, properties: Record<string, unknown>): void {
  const unknown = Object.keys(options).filter((key) => !Object.hasOwn(properties, key));
  if (unknown.length > 0) {
    throw new SS_ERR_CLIPS_DESTINATION_INVALID(kind, `unknown option${unknown.length === 1 ? '' : 's'} ${unknown.map((key) => `"${key}"`).join(', ')}; known: ${Object.keys(properties).join(', ')}`);
  }
}
