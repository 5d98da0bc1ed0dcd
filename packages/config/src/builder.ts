import { parsePointer, pointer, type ManifestLocation, type ParsedJson } from '@streamsuites/kernel';
import { camelKey, snakeKey, VERBATIM_CHILDREN } from './keys.js';

/** Where a manifest value came from: a file of the folder and the path inside it. */
export interface Origin {
  /** Absolute path of the file. */
  file: string;
  /** Segments of the value's path inside the file. */
  path: readonly (string | number)[];
}

export interface MergeOptions {
  /** Convert snake_case keys to camelCase (default true). */
  convert?: boolean;
  /** Report a value set by another file to something else (default true). */
  conflicts?: boolean;
}

type Conflict = (manifestPath: string, first: Origin, second: Origin) => void;

/**
 * Builds the manifest object out of the folder's files and keeps, for every
 * manifest path it writes, the file and path it came from — the `locate`
 * table that lets the kernel report a plugin's problem in creators.json at
 * the operator's own key. Objects merge key by key; later values win.
 */
export class ManifestBuilder {
  readonly value: Record<string, unknown> = {};
  readonly #origins = new Map<string, Origin>();
  readonly #parsed: ReadonlyMap<string, ParsedJson>;
  readonly #onConflict: Conflict;

  constructor(parsed: ReadonlyMap<string, ParsedJson>, onConflict: Conflict) {
    this.#parsed = parsed;
    this.#onConflict = onConflict;
  }

  /** Writes `raw` (a value read from `origin`) at the manifest path `path`. */
  merge(path: readonly (string | number)[], raw: unknown, origin: Origin, options: MergeOptions = {}): void {
    this.#merge([...path], raw, origin, options.convert ?? true, options.conflicts ?? true);
  }

  /** Records that a manifest path (written by code, not copied) comes from `origin`. */
  note(path: readonly (string | number)[], origin: Origin): void {
    if (!this.#origins.has(pointer(path))) this.#origins.set(pointer(path), origin);
  }

  get(path: readonly (string | number)[]): unknown {
    let node: unknown = this.value;
    for (const segment of path) {
      if (typeof node !== 'object' || node === null) return undefined;
      node = (node as Record<string, unknown>)[segment];
    }
    return node;
  }

  /** The file and position of a manifest path, or of its closest recorded parent. */
  locate(path: string): ManifestLocation | undefined {
    const segments = parsePointer(path);
    for (let depth = segments.length; depth >= 0; depth--) {
      const origin = this.#origins.get(pointer(segments.slice(0, depth)));
      if (origin === undefined) continue;
      const position = this.#parsed.get(origin.file)?.positionOf(origin.path);
      if (position === undefined) continue;
      return { file: origin.file, path: pointer(origin.path), line: position.line, column: position.column, spell: snakeKey };
    }
    return undefined;
  }

  #merge(path: (string | number)[], raw: unknown, origin: Origin, convert: boolean, conflicts: boolean): void {
    if (isPlainObject(raw)) {
      if (!isPlainObject(this.get(path))) this.#set(path, {});
      this.note(path, origin);
      // The children of a data-keyed object (`where`, `headers`...) keep their keys.
      const verbatim = !convert || VERBATIM_CHILDREN.has(String(origin.path[origin.path.length - 1] ?? ''));
      for (const [key, value] of Object.entries(raw)) {
        this.#merge([...path, verbatim ? key : camelKey(key)], value, { file: origin.file, path: [...origin.path, key] }, convert, conflicts);
      }
      return;
    }
    const existing = this.get(path);
    const key = pointer(path);
    const first = this.#origins.get(key);
    if (Array.isArray(raw)) {
      const before = existing === undefined ? undefined : JSON.stringify(existing);
      this.#set(path, []);
      this.#origins.set(key, origin);
      raw.forEach((item, index) => this.#merge([...path, index], item, { file: origin.file, path: [...origin.path, index] }, convert, false));
      if (conflicts && before !== undefined && first !== undefined && first.file !== origin.file && before !== JSON.stringify(this.get(path))) {
        this.#onConflict(key, first, origin);
      }
      return;
    }
    if (conflicts && existing !== undefined && first !== undefined && first.file !== origin.file && JSON.stringify(existing) !== JSON.stringify(raw)) {
      this.#onConflict(key, first, origin);
    }
    this.#set(path, raw);
    this.#origins.set(key, origin);
  }

  #set(path: readonly (string | number)[], value: unknown): void {
    if (path.length === 0) return;
    let node = this.value as Record<string | number, unknown>;
    for (const segment of path.slice(0, -1)) {
      let next = node[segment];
      if (typeof next !== 'object' || next === null) {
        next = {};
        define(node, segment, next);
      }
      node = next as Record<string | number, unknown>;
    }
    define(node, path[path.length - 1]!, value);
  }
}

/** defineProperty: a "__proto__" key stays data, never a prototype. */
function define(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  if (Array.isArray(target)) (target as unknown[])[Number(key)] = value;
  else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
