import pkg from '../package.json' with { type: 'json' };

/** The version of this kernel, checked against plugins' `kernel` ranges. */
export const KERNEL_VERSION: string = pkg.version;
