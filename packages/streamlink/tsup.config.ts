import { createTsupConfig } from '../../tsup.config.base.js';

export default createTsupConfig();
