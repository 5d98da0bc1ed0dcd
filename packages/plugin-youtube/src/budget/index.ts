export { BudgetGovernor, type ActivitySnapshot, type BudgetDecision, type BudgetGovernorOptions, type BudgetMode } from './governor.js';
export { ChatRateEstimator, type ChatRateOptions, type ChatRateSnapshot } from './rate.js';
export {
  DEFAULT_CHAT_MODEL,
  fixedIntervalStrategy,
  generateChat,
  simulateStream,
  type ChatModel,
  type ChatSegment,
  type PollingStrategy,
  type SimulationOptions,
  type SimulationResult,
} from './simulate.js';
