/**
 * The kernel's test kit with the default plugins, as @streamsuites/testing
 * gives it. Not imported from there: @streamsuites/testing depends on this
 * package, so the tests here build the same thing from the kernel's kit.
 */
import { startTestKernel as startKernelAlone, type StartTestKernelOptions, type TestKernel } from '@streamsuites/kernel/testing';
import { afterEach, expect } from 'vitest';
import { withDefaults } from '../../src/index.js';

/**
 * Log lines of catch-alls that keep the runtime going past a bug (one bad
 * message must not stop the others): no test may hit one unnoticed.
 */
const CATCH_ALLS = ['chat rules failed for a message'];
const started: TestKernel[] = [];
afterEach(() => {
  const kernels = started.splice(0);
  const caught = kernels.flatMap((t) => t.logs.lines.filter((l) => CATCH_ALLS.includes(String(l.msg))));
  expect(caught, 'a catch-all swallowed an error').toEqual([]);
});

/** Boots a kernel for a test with the default plugins and the official catalog (see @streamsuites/kernel/testing). */
export async function startTestKernel(options: StartTestKernelOptions = {}): Promise<TestKernel> {
  const t = await startKernelAlone(withDefaults(options));
  started.push(t);
  return t;
}
