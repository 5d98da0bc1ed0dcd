import { busRef, clockRef, kernelRef, loggerRef, secretsRef, type AnyPlugin, type ChatMessage } from '@streamsuites/kernel';
import { chatMessage, createTempDirs, startTestKernel } from '@streamsuites/testing';
import { afterEach } from 'vitest';
import exportsPlugin, { Exporter, type ExportFs, type ExportSection } from '../src/index.js';

const temp = createTempDirs('ss-exports-');
afterEach(() => temp.removeAll());

/** A temporary folder, removed after the test. */
export const tempDir = (): string => temp.make();

export { readTree } from '@streamsuites/testing';

/** Known to the kernel only through `${env:TOKEN}` in the manifest (no `oauth:` or keyed-URL pattern would mask it). */
export const SECRET_TOKEN = 'Exp0rtSecretValue-123456';

export function message(creatorId: string, text: string, user = 'viewer_login', at = 1_795_000_000_000, id = `${creatorId}-${text}`): ChatMessage {
  return chatMessage({ id, creatorId, text, receivedAt: at, author: { login: user, displayName: user.toUpperCase(), roles: ['subscriber'] } });
}

/** A kernel with the exports plugin writing into `dataDir`, on a fixed clock. */
export async function exportsKernel(dataDir: string, options: { config?: Record<string, unknown>; now?: () => number; plugins?: AnyPlugin[] } = {}) {
  return startTestKernel({
    plugins: [exportsPlugin, ...(options.plugins ?? [])],
    env: { TOKEN: SECRET_TOKEN },
    clock: { now: options.now ?? (() => Date.UTC(2026, 10, 27, 12, 0, 0)) },
    manifest: {
      dataDir,
      plugins: { exports: { config: { mirror: false, ...options.config } } },
      creators: {
        alice: {
          displayName: 'Alice',
          enable: ['exports'],
          triggers: [{ id: 'hello', type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}, token ${env:TOKEN}' } }] }],
          quotas: { youtube: { daily: 10000, buffer: 500 } },
        },
        bob: { enable: ['exports'] },
      },
    },
  });
}

/** An Exporter of `sections` into `root`, on the services of a test kernel (no debounce, no cadence in the way). */
export function exporterFor(t: Awaited<ReturnType<typeof exportsKernel>>, sections: ExportSection<unknown>[], root: string, extra: { mirrorRoot?: string; fs?: ExportFs; debounceMs?: number } = {}): Exporter {
  return new Exporter({
    sections,
    root,
    debounceMs: 0,
    ...extra,
    source: 'test',
    cadenceMs: 60_000,
    kernel: t.kernel.resolve(kernelRef),
    bus: t.kernel.resolve(busRef),
    clock: t.kernel.resolve(clockRef),
    logger: t.kernel.resolve(loggerRef),
    secrets: t.kernel.resolve(secretsRef),
  });
}
