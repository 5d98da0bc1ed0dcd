/**
 * Typed handles to services in the DI container. The ref carries the service
 * type (`typeof ref.T`) and its scope: `root` services exist once per
 * process, `creator` services once per creator scope.
 */
export type ServiceScope = 'root' | 'creator';

export interface ServiceRef<T, S extends ServiceScope = ServiceScope> {
  readonly id: string;
  readonly scope: S;
  /** The contract's methods: a provider's instance lacking one fails with SS_ERR_SERVICE_CONTRACT when it is built. */
  readonly methods: readonly string[];
  /** Type carrier for `typeof ref.T`; throws when read at runtime. */
  readonly T: T;
  readonly $$type: '@streamsuites/ServiceRef';
  toString(): string;
}

const SERVICE_REF_ID = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/;

export interface ServiceRefOptions<T> {
  id: string;
  /** Methods every implementation must have (checked when a provider's instance is built; replacements are checked at start). */
  methods?: readonly (keyof T & string)[];
}

export function createServiceRef<T>(options: ServiceRefOptions<T> & { scope: 'creator' }): ServiceRef<T, 'creator'>;
export function createServiceRef<T>(options: ServiceRefOptions<T> & { scope?: 'root' }): ServiceRef<T, 'root'>;
export function createServiceRef<T>(options: ServiceRefOptions<T> & { scope?: ServiceScope }): ServiceRef<T> {
  const { id, scope = 'root', methods = [] } = options;
  if (!SERVICE_REF_ID.test(id)) {
    // Programming error at module load; a plain TypeError is what a developer expects here.
    throw new TypeError(`Service ref id "${id}" must look like "<plugin>.<name>" (e.g. "clips.database")`);
  }
  return {
    id,
    scope,
    methods: Object.freeze([...methods]),
    $$type: '@streamsuites/ServiceRef',
    get T(): T {
      throw new TypeError(`${id}.T is only for typing (typeof ref.T), not a runtime value`);
    },
    toString: () => `serviceRef{${id}}`,
  };
}

export function isServiceRef(value: unknown): value is ServiceRef<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { $$type?: unknown }).$$type === '@streamsuites/ServiceRef'
  );
}

/** Maps `{ name: ServiceRef<T> }` to `{ name: T }`. */
export type ResolvedDeps<D extends Record<string, ServiceRef<unknown>>> = {
  [K in keyof D]: D[K] extends ServiceRef<infer T> ? T : never;
};

/** The contract methods `instance` lacks (none for a ref that lists no methods). */
export function missingMethods(ref: ServiceRef<unknown>, instance: unknown): string[] {
  if (ref.methods.length === 0) return [];
  if (typeof instance !== 'object' || instance === null) return [...ref.methods];
  return ref.methods.filter((name) => typeof (instance as Record<string, unknown>)[name] !== 'function');
}
