import pkg from '../package.json' with { type: 'json' };

/** The version of every default plugin (they are released together). */
export const DEFAULTS_VERSION: string = pkg.version;
/** The kernel range the default plugins work with. */
export const KERNEL_RANGE = '^0.2.0';
