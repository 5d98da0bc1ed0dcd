import type { EventBus } from './bus.js';
import type { Kernel } from './kernel.js';
import type { Clock } from './contracts/clock.js';
import type { Logger } from './logger.js';
import type { CreatorContext } from './plugin.js';
import type { SecretRegistry } from './redact.js';
import { createServiceRef } from './service-ref.js';

/** The process-wide typed event bus. */
export const busRef = createServiceRef<EventBus>({ id: 'kernel.bus', scope: 'root' });
/** The root logger (plugins get a child bound to their id in their hooks). */
export const loggerRef = createServiceRef<Logger>({ id: 'kernel.logger', scope: 'root' });
/** The kernel clock. */
export const clockRef = createServiceRef<Clock>({ id: 'kernel.clock', scope: 'root' });
/** Known secret values, for plugins that write files or exports. */
export const secretsRef = createServiceRef<SecretRegistry>({ id: 'kernel.secrets', scope: 'root' });
/** The current creator, in a creator scope. */
export const creatorContextRef = createServiceRef<CreatorContext>({ id: 'kernel.creator', scope: 'creator' });
/**
 * The running kernel, for control-plane and export plugins that need its
 * status, its creators (`resolveFor`) or to add and remove creators.
 */
export const kernelRef = createServiceRef<Kernel>({ id: 'kernel.self', scope: 'root' });
