/**
 * Hints for trigger and action problems: which field, what its schema wants,
 * where the trigger or action type is documented, and for an unknown type
 * the known one it most likely meant or the official plugin that adds it.
 */
import { didYouMean, fieldName, suggest, unknownKeyHint, valueHint, type SchemaProblem } from '@streamsuites/kernel';
import { officialPluginOfType, officialPluginPackage, officialTypes } from '../catalog.js';

export type TypeKind = 'action' | 'trigger';

/** Where the built-in trigger and action types are described. */
export const BUILTIN_TRIGGER_DOCS = 'the "Chat triggers and actions" section of the @streamsuites/defaults README';

/** The default plugins whose types are the built-ins. */
const BUILTIN_OWNERS: ReadonlySet<string> = new Set(['triggers', 'actions']);

/** Where the types a plugin adds are described: this package's README for the built-ins, else the plugin's README. */
export function docsOf(pluginId: string | undefined): string {
  if (pluginId === undefined || BUILTIN_OWNERS.has(pluginId)) return BUILTIN_TRIGGER_DOCS;
  const packageName = officialPluginPackage(pluginId);
  return packageName === undefined ? `the README of plugin "${pluginId}"` : `the README of ${packageName} (plugin "${pluginId}")`;
}

/**
 * The hint of a params problem of a trigger or action type: the field and what
 * it should be (or the keys the type takes), then where the type is described.
 */
export function paramsHint(kind: TypeKind, type: string, owner: string | undefined, problem: SchemaProblem, paramsSchema: unknown): string {
  const docs = docsOf(owner);
  if (problem.kind === 'unknown-key') {
    const keys = isRecord(paramsSchema) && isRecord(paramsSchema.properties) ? Object.keys(paramsSchema.properties) : [];
    const takes = keys.length === 0 ? 'takes no params' : `takes ${keys.join(', ')}`;
    return `${unknownKeyHint(problem.key, problem.known)} The "${type}" ${kind} type ${takes} (described in ${docs}).`;
  }
  return `${valueHint(problem, (at) => fieldName(at, 'params'))} The "${type}" ${kind} type is described in ${docs}.`;
}

/** The hint of a problem with the shape of a trigger definition itself (outside its params). */
export function triggerShapeHint(problem: SchemaProblem): string {
  if (problem.kind === 'unknown-key') {
    const allowed = problem.known.length === 0 ? '' : ` Allowed here: ${problem.known.join(', ')}.`;
    return `${unknownKeyHint(problem.key, problem.known)}${allowed} Triggers are described in ${BUILTIN_TRIGGER_DOCS}.`;
  }
  return `${valueHint(problem, (at) => fieldName(at) || 'The trigger')} Triggers are described in ${BUILTIN_TRIGGER_DOCS}.`;
}

/**
 * The hint of an action or trigger type nobody registered: the official
 * plugin that adds it (declare and enable it), else the closest known type
 * (or official type, with its plugin), else how to find the right one.
 */
export function unknownTypeHint(kind: TypeKind, type: string, known: readonly string[]): string {
  const official = officialPluginOfType(kind, type);
  if (official !== undefined) return `"${type}" is added by the plugin "${official}", which is not loaded: ${declare(official)}`;
  const [closest] = suggest(type, [...known, ...officialTypes(kind)], { limit: 1 });
  if (closest !== undefined) {
    const mean = didYouMean([closest]);
    if (known.includes(closest)) return `Check the spelling. ${mean}`;
    const plugin = officialPluginOfType(kind, closest)!;
    return `Check the spelling. ${mean} It is added by the plugin "${plugin}", which is not loaded: ${declare(plugin)}`;
  }
  return kind === 'action'
    ? `Use one of the known action types, or declare in "plugins" the plugin that adds "${type}" and enable it for this creator (its README names its action types).`
    : `Use command, keyword or regex (described in ${BUILTIN_TRIGGER_DOCS}), or declare in "plugins" the plugin that adds "${type}" and enable it for this creator.`;
}

/** How to load an official plugin; only its official package name is ever written. */
function declare(pluginId: string): string {
  const packageName = officialPluginPackage(pluginId) ?? '<npm package>';
  return `add "${pluginId}": { "package": "${packageName}" } to "plugins" and "${pluginId}" to this creator's "enable".`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
