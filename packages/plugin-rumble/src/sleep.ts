import { delay } from '@streamsuites/kernel';

/** Waits `ms`; rejects with the signal's reason when it aborts. Tests may pass a virtual one. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const defaultSleep: Sleep = delay;
