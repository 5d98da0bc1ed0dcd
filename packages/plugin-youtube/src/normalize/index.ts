export { normalizeItem } from './item.js';
export { authorOf } from './author.js';
export { parseRfc3339 } from './time.js';
export { MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH, stableHash, wellFormed } from './strings.js';
