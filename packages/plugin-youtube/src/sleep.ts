import { delay } from '@streamsuites/kernel';

/** Waits `ms` (kernel time); rejects when `signal` aborts. Tests and simulations pass a virtual one. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** A real timer, cleared when `signal` aborts. */
export const defaultSleep: Sleep = delay;
