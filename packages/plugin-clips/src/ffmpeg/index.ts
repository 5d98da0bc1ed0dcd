export * from './errors.js';
export * from './locate.js';
export * from './process.js';
export * from './probe.js';
export * from './redact.js';
