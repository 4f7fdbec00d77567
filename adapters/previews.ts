import type { PreviewRenderer } from './console/preview-adapter.js';
import { discordPreview } from './discord/preview.js';
import { slackPreview } from './slack/preview.js';

/** The platforms a replay can show with no workspace and no token, by their renderings. */
export const PREVIEWS: Readonly<Record<string, PreviewRenderer>> = {
  slack: slackPreview,
  discord: discordPreview,
};
