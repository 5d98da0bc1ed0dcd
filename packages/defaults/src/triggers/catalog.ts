import { StreamSuitesError, applyDefaults, pointer, schemaIssues, type ActionDescriptor, type ActionDispatcher, type AnyTriggerType, type ChatRole, type ManifestIssue, type TriggerDefinition, type TriggerIndexKeys } from '@streamsuites/kernel';
import { SS_ERR_TRIGGER_INVALID, SS_ERR_TRIGGER_TYPE_DUPLICATE, SS_ERR_TRIGGER_TYPE_UNKNOWN } from '../errors.js';
import { createHash } from 'node:crypto';
import { builtinTriggerTypes } from './builtin-types.js';
import { TriggerDefinitionSchema } from './schema.js';
import { compileActions, type ActionFiller } from './template.js';
import { parseDuration } from './duration.js';
import { compileErrorPath, eventTriggerIssues, eventTriggerType } from './event-type.js';
import { docsOf, paramsHint, triggerShapeHint, unknownTypeHint } from './hints.js';

/** A trigger ready to match: validated, compiled, indexed. */
export interface CompiledTrigger {
  id: string;
  definition: TriggerDefinition & { id: string; params: Record<string, unknown> };
  type: AnyTriggerType;
  state: unknown;
  firstTokens: readonly string[];
  substrings: readonly string[];
  platforms: readonly string[] | undefined;
  roles: readonly ChatRole[] | undefined;
  minAmountMicros: number | undefined;
  cooldownMs: { user?: number; creator?: number; global?: number };
  /** The actions' templates, read once: fills them for a match. */
  fill: ActionFiller;
}

/**
 * The trigger types of the process (built-ins and extension contributions)
 * and everything needed to turn a definition into a CompiledTrigger — or
 * into the full list of problems with their paths.
 */
export class TriggerCatalog {
  readonly #types = new Map<string, AnyTriggerType>();
  /** The plugin that added each type ('triggers' for the built-ins), for hints saying where a type is described. */
  readonly #owners = new Map<string, string>();
  readonly #actions: ActionDispatcher;

  constructor(contributions: readonly { pluginId: string; value: AnyTriggerType }[], actions: ActionDispatcher) {
    this.#actions = actions;
    const owners = new Map<string, string[]>();
    for (const { pluginId, value } of contributions) {
      owners.set(value.type, [...(owners.get(value.type) ?? []), pluginId]);
      this.#types.set(value.type, value);
      this.#owners.set(value.type, pluginId);
    }
    for (const [type, plugins] of owners) {
      if (plugins.length > 1) throw new SS_ERR_TRIGGER_TYPE_DUPLICATE(type, plugins.join(', '));
    }
  }

  types(): string[] {
    return [...this.#types.keys()].sort();
  }

  /** The plugin that added a type (undefined for an unknown type). */
  owner(type: string): string | undefined {
    return this.#owners.get(type);
  }

  /** True for command, keyword, regex and event, which every creator may use. */
  isBuiltin(type: string): boolean {
    return builtinTriggerTypes.some((t) => t.type === type);
  }

  /**
   * Checks and compiles a definition in one pass: its problems as issues
   * under `basePath`, or the compiled trigger when there are none.
   */
  inspect(definition: unknown, basePath: readonly (string | number)[]): { issues: ManifestIssue[]; compiled?: CompiledTrigger } {
    const shape = schemaIssues(TriggerDefinitionSchema, definition, basePath, {
      schema: SS_ERR_TRIGGER_INVALID.code,
      unknownKey: SS_ERR_TRIGGER_INVALID.code,
      hint: triggerShapeHint,
    });
    if (shape.length > 0) return { issues: shape };
    const result = this.#compile(definition as TriggerDefinition, basePath);
    return 'issues' in result ? { issues: result.issues } : { issues: [], compiled: result };
  }

  /** Every problem of a definition, as issues under `basePath` (empty when valid). */
  issues(definition: unknown, basePath: readonly (string | number)[]): ManifestIssue[] {
    return this.inspect(definition, basePath).issues;
  }

  /** Compiles a definition; throws the first problem as its coded error. */
  compile(definition: TriggerDefinition): CompiledTrigger {
    const { issues, compiled } = this.inspect(definition, []);
    if (compiled === undefined) throw toError(issues[0]!);
    return compiled;
  }

  #compile(definition: TriggerDefinition, basePath: readonly (string | number)[]): CompiledTrigger | { issues: ManifestIssue[] } {
    const at = (...rest: (string | number)[]) => pointer([...basePath, ...rest]);
    const issues: ManifestIssue[] = [];
    const type = this.#types.get(definition.type);
    let params: unknown;
    let state: unknown;
    let keys: TriggerIndexKeys = {};
    if (type === undefined) {
      // Its params cannot be checked, but its cooldowns and actions can: they are independent problems.
      issues.push({
        code: SS_ERR_TRIGGER_TYPE_UNKNOWN.code,
        path: at('type'),
        message: `unknown trigger type "${definition.type}" (known: ${this.types().join(', ')})`,
        hint: unknownTypeHint('trigger', definition.type, this.types()),
      });
    } else {
      const owner = this.#owners.get(type.type);
      // Left out, params are `{}`: fine when every param is optional or has a default.
      params = applyDefaults(type.paramsSchema, definition.params ?? {});
      issues.push(
        ...schemaIssues(type.paramsSchema, params, [...basePath, 'params'], {
          schema: SS_ERR_TRIGGER_INVALID.code,
          unknownKey: SS_ERR_TRIGGER_INVALID.code,
          hint: (problem) => paramsHint('trigger', type.type, owner, problem, type.paramsSchema),
        }),
      );
      if (issues.length === 0) {
        try {
          state = type.compile === undefined ? params : type.compile(params);
          // index() is the type's code too: a throw is a problem of this trigger, never a crash of the load.
          keys = type.index?.(state) ?? {};
        } catch (error) {
          const coded = error instanceof StreamSuitesError ? error : undefined;
          issues.push({
            code: coded?.code ?? SS_ERR_TRIGGER_INVALID.code,
            // A coded error may say which param it is about (details.path, inside params).
            path: at('params', ...(compileErrorPath(error) ?? [])),
            message: error instanceof Error ? error.message : String(error),
            hint: coded?.hint ?? `The "${type.type}" trigger type refused these params; it is described in ${docsOf(owner)}.`,
          });
        }
      }
    }
    if (type === eventTriggerType) issues.push(...eventTriggerIssues(definition, basePath));
    const cooldownMs: CompiledTrigger['cooldownMs'] = {};
    for (const level of ['user', 'creator', 'global'] as const) {
      const text = definition.cooldown?.[level];
      if (text === undefined) continue;
      const ms = parseDuration(text);
      if (ms === undefined) {
        issues.push({
          code: SS_ERR_TRIGGER_INVALID.code,
          path: at('cooldown', level),
          message: `"${text}" is not a duration such as "30s", "5m" or "1h" (at most a year)`,
          hint: `Write cooldown.${level} as a number and a unit (ms, s, m or h) of at most a year, such as "30s", "5m" or "1h".`,
        });
      } else {
        cooldownMs[level] = ms;
      }
    }
    definition.actions.forEach((action, index) => issues.push(...this.#actionIssues(action, [...basePath, 'actions', index])));
    if (issues.length > 0 || type === undefined) return { issues };
    const id = definition.id ?? derivedId(definition.type, params);
    return {
      id,
      definition: { ...definition, id, params: params as Record<string, unknown> },
      type,
      state,
      firstTokens: (keys.firstTokens ?? []).map((t) => t.toLowerCase()),
      substrings: (keys.substrings ?? []).map((t) => t.toLowerCase()).filter((t) => t.length > 0),
      platforms: definition.platforms,
      roles: definition.roles,
      minAmountMicros: definition.minAmountMicros,
      cooldownMs,
      fill: compileActions(definition.actions),
    };
  }

  /** The kernel dispatcher lists every problem; a replacement dispatcher may only throw its first. */
  #actionIssues(action: ActionDescriptor, path: (string | number)[]): ManifestIssue[] {
    const withIssues = this.#actions as ActionDispatcher & { issues?: (a: ActionDescriptor, p: (string | number)[]) => ManifestIssue[] };
    if (typeof withIssues.issues === 'function') return withIssues.issues(action, path);
    try {
      this.#actions.validate(action);
      return [];
    } catch (error) {
      const coded = error instanceof StreamSuitesError ? error : undefined;
      return [
        {
          code: coded?.code ?? SS_ERR_TRIGGER_INVALID.code,
          path: pointer(path),
          message: (error as Error).message,
          hint: coded?.hint ?? `The action dispatcher refused this action; check its type and params (known types: ${this.#actions.types().join(', ')}).`,
        },
      ];
    }
  }
}

/** `command:1f3a...`: stable across restarts and identical for identical triggers. */
export function derivedId(type: string, params: unknown): string {
  return `${type}:${createHash('sha256').update(canonicalJson(params)).digest('hex').slice(0, 12)}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An issue as the coded error `compile()` throws (same code, path in the message). */
function toError(issue: ManifestIssue): StreamSuitesError {
  const message = `${issue.path === '/' ? '' : `${issue.path}: `}${issue.message}`;
  return new StreamSuitesError(issue.code, message, { details: { path: issue.path }, ...(issue.hint === undefined ? {} : { hint: issue.hint }) });
}
