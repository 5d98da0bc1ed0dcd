import { createTsupConfig } from '../../tsup.config.base.js';

// main.ts is the demo; the two plugins are what its manifest loads by package name.
export default createTsupConfig({ entry: ['src/main.ts', 'src/heartbeat-plugin.ts', 'src/local-platforms.ts'], dts: false });
