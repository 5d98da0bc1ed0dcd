import { createTsupConfig } from '../../tsup.config.base.js';

export default createTsupConfig({ entry: ['src/main.ts'], dts: false });
