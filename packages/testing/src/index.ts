/**
 * @streamsuites/testing — the kernel's test kit (`@streamsuites/kernel/testing`)
 * with `startTestKernel` booting the default plugins of @streamsuites/defaults
 * (trigger engine, action dispatcher, quotas, rate limits, in-memory state
 * and jobs), as a real host does. The kernel's own kit boots the kernel alone.
 *
 * ```ts
 * import { chatMessage, startTestKernel } from '@streamsuites/testing';
 * const t = await startTestKernel({ plugins: [myPlugin], manifest: { creators: { alice: { enable: ['my'] } } } });
 * t.bus.emit('chat.message', chatMessage({ text: '!hello' }));
 * ```
 */
import { withDefaults } from '@streamsuites/defaults';
import { startTestKernel as startKernelAlone, type StartTestKernelOptions, type TestKernel } from '@streamsuites/kernel/testing';

export * from '@streamsuites/kernel/testing';

/**
 * Boots a kernel for a test, with the default plugins (pass `defaults: []`
 * for the kernel alone) and the official package catalog for hints.
 */
export function startTestKernel(options: StartTestKernelOptions = {}): Promise<TestKernel> {
  return startKernelAlone(withDefaults(options));
}

export { CHROMIUM, toolAvailable } from './tools.js';
export type { ExternalTool } from './tools.js';
export { startLocalHlsStream } from './hls-stream.js';
export type { LocalHlsRequest, LocalHlsStream, LocalHlsStreamOptions } from './hls-stream.js';
