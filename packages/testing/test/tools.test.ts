import { describe, expect, it, vi } from 'vitest';
import { toolAvailable } from '../src/index.js';

describe('toolAvailable', () => {
  const missing = { name: 'Nothing', path: '/nonexistent/streamsuites-test-tool', install: 'apt-get install nothing' };

  it('is true for a tool that is there', () => {
    expect(toolAvailable({ name: 'Node', path: process.execPath, install: '-' }, { CI: 'true' })).toBe(true);
  });

  it('under CI a missing tool throws (its tests fail, they are not skipped)', () => {
    expect(() => toolAvailable(missing, { CI: 'true' })).toThrow(/Nothing is missing \(\/nonexistent\/streamsuites-test-tool\); install it with: apt-get install nothing/);
  });

  it('elsewhere a missing tool is false, and the skip says why', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(toolAvailable(missing, {})).toBe(false);
      expect(write).toHaveBeenCalledWith(expect.stringContaining('skipping the Nothing tests: Nothing is missing'));
    } finally {
      write.mockRestore();
    }
  });
});
