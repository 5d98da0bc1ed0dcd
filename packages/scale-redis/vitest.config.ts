import { createVitestProject } from '../../vitest.shared.js';

export default createVitestProject('scale-redis');
