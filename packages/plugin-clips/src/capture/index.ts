export * from './args.js';
export * from './playlist.js';
export * from './supervisor.js';
