/**
 * Extension points: typed collectors. Any plugin contributes values of type T
 * during register(); the plugin that owns the point reads all contributions
 * in init() through `ctx.extensions(point)`. Contributions freeze once every
 * register() has returned.
 */
export interface ExtensionPoint<T> {
  readonly id: string;
  readonly T: T;
  readonly $$type: '@streamsuites/ExtensionPoint';
  toString(): string;
}

export interface Contribution<T> {
  /** Plugin that contributed the value. */
  pluginId: string;
  value: T;
}

export function createExtensionPoint<T>(options: { id: string }): ExtensionPoint<T> {
  const { id } = options;
  return {
    id,
    $$type: '@streamsuites/ExtensionPoint',
    get T(): T {
      throw new TypeError(`${id}.T is only for typing, not a runtime value`);
    },
    toString: () => `extensionPoint{${id}}`,
  };
}
