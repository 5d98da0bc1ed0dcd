import { delay, type Sleep } from '@streamsuites/kernel';

export type { Sleep } from '@streamsuites/kernel';

/** A real timer, cleared when `signal` aborts. */
export const defaultSleep: Sleep = delay;
