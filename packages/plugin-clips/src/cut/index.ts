export * from './encoder.js';
export * from './plan.js';
