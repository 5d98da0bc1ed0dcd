import { createTsupConfig } from '../../tsup.config.base.js';

// typebox is bundled in: its 700 ESM files cost ~400 ms of every process's start to load one by one.
export default createTsupConfig({ entry: ['src/index.ts', 'src/testing.ts'], noExternal: ['typebox'] });
