import { createVitestProject } from '../vitest.shared.js';

// Repository-wide checks (not a package): the clone is self-contained.
export default createVitestProject('repository', { test: { include: ['*.test.ts'] } });
