export { DEFAULT_TUNING, type SlackAdapterOptions, type SlackTuning, createSlackAdapter } from './slack-adapter.js';
