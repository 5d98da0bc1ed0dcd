/**
 * The kernel's test kit with the default plugins, as @streamsuites/testing
 * gives it. Not imported from there: @streamsuites/testing depends on this
 * package, so the tests here build the same thing from the kernel's kit.
 */
import { startTestKernel as startKernelAlone, type StartTestKernelOptions, type TestKernel } from '@streamsuites/kernel/testing';
import { withDefaults } from '../../src/index.js';

/** Boots a kernel for a test with the default plugins and the official catalog (see @streamsuites/kernel/testing). */
export function startTestKernel(options: StartTestKernelOptions = {}): Promise<TestKernel> {
  return startKernelAlone(withDefaults(options));
}
