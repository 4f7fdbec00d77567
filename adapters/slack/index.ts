export {
  createSlackAdapter,
  DEFAULT_TUNING,
  type SlackAdapterOptions,
  type SlackTuning,
} from './slack-adapter.js';
