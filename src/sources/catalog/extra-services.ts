import { type CatalogEntry, page } from './entry.js';

const sp = [page('statuspage')];
const io = [page('incidentio')];

/** Well-known services the Sentry list lacks, with the same fields it gives plus ours. */
export const EXTRA_SERVICES: readonly CatalogEntry[] = [
  entry('claude', 'Claude', 'https://status.claude.com', ['claude.ai'], sp, ['ai'], ['anthropic']),
  entry('bitbucket', 'Bitbucket', 'https://bitbucket.status.atlassian.com', ['bitbucket.org'], sp, [
    'dev',
    'ci',
  ]),
  entry('mailgun', 'Mailgun', 'https://status.mailgun.com', ['mailgun.com'], sp, ['email']),
  entry('supabase', 'Supabase', 'https://status.supabase.com', ['supabase.com'], sp, [
    'database',
    'hosting',
  ]),
  entry('figma', 'Figma', 'https://status.figma.com', ['figma.com'], sp, ['design']),
  entry(
    'epicgames',
    'Epic Games',
    'https://status.epicgames.com',
    ['epicgames.com'],
    sp,
    ['gaming'],
    ['epic', 'fortnite'],
  ),
  entry('notion', 'Notion', 'https://status.notion.so', ['notion.so'], sp, ['productivity']),
  entry('trello', 'Trello', 'https://trello.status.atlassian.com', ['trello.com'], sp, [
    'productivity',
  ]),
  entry(
    'docker',
    'Docker',
    'https://www.dockerstatus.com',
    ['hub.docker.com', 'docker.com'],
    sp,
    ['dev', 'ci'],
    ['docker-hub'],
  ),
  entry('signal', 'Signal', 'https://status.signal.org', ['signal.org'], sp, ['chat', 'messaging']),
  entry('postman', 'Postman', 'https://status.postman.com', ['postman.com'], sp, ['dev']),
  entry('vimeo', 'Vimeo', 'https://www.vimeostatus.com', ['vimeo.com'], sp, ['video']),
  entry('cloudinary', 'Cloudinary', 'https://status.cloudinary.com', ['cloudinary.com'], sp, [
    'cdn',
    'dev',
  ]),
  entry('pusher', 'Pusher', 'https://status.pusher.com', ['pusher.com'], sp, ['dev', 'messaging']),
  entry(
    'wistia',
    'Wistia',
    'https://status.wistia.com',
    ['wistia.com'],
    [page('instatus')],
    ['video'],
  ),
  entry(
    'betterstack',
    'Better Stack',
    'https://status.betterstack.com',
    ['betterstack.com'],
    [page('betterstack')],
    ['monitoring'],
    ['better-uptime'],
  ),
  entry(
    'hashicorp',
    'HashiCorp',
    'https://status.hashicorp.com',
    ['hashicorp.com'],
    io,
    ['dev', 'cloud'],
    ['terraform-cloud'],
  ),
  entry('zapier', 'Zapier', 'https://status.zapier.com', ['zapier.com'], io, ['productivity']),
  entry('clerk', 'Clerk', 'https://status.clerk.com', ['clerk.com'], io, ['dev', 'identity']),
  entry('elevenlabs', 'ElevenLabs', 'https://status.elevenlabs.io', ['elevenlabs.io'], io, ['ai']),
  entry('cohere', 'Cohere', 'https://status.cohere.com', ['cohere.com'], io, ['ai']),
  entry(
    'x',
    'X (Twitter)',
    undefined,
    ['x.com', 'twitter.com'],
    ['probe'],
    ['social'],
    ['twitter'],
  ),
  entry(
    'youtube',
    'YouTube',
    undefined,
    ['www.youtube.com'],
    ['probe'],
    ['google', 'video'],
    ['yt'],
  ),
  entry(
    'google-search',
    'Google Search',
    undefined,
    ['www.google.com'],
    ['probe'],
    ['google'],
    ['google'],
  ),
  entry('spotify', 'Spotify', undefined, ['open.spotify.com'], ['probe'], ['music']),
  entry('netflix', 'Netflix', undefined, ['www.netflix.com'], ['probe'], ['video']),
  entry('steam', 'Steam', undefined, ['store.steampowered.com'], ['probe'], ['gaming']),
  entry('telegram', 'Telegram', undefined, ['web.telegram.org'], ['probe'], ['chat', 'messaging']),
  entry(
    'microsoft-teams',
    'Microsoft Teams',
    undefined,
    ['teams.microsoft.com'],
    ['probe'],
    ['chat', 'microsoft'],
    ['teams'],
  ),
  entry(
    'outlook',
    'Outlook',
    undefined,
    ['outlook.live.com'],
    ['probe'],
    ['email', 'microsoft'],
    ['hotmail'],
  ),
  entry(
    'icloud',
    'iCloud',
    undefined,
    ['www.icloud.com'],
    ['probe'],
    ['storage', 'apple'],
    ['apple-icloud'],
  ),
  entry('tiktok', 'TikTok', undefined, ['www.tiktok.com'], ['probe'], ['social', 'video']),
];

function entry(
  id: string,
  name: string,
  pageUrl: string | undefined,
  domains: readonly string[],
  sources: CatalogEntry['sources'],
  tags: readonly string[],
  aliases?: readonly string[],
): CatalogEntry {
  const e: CatalogEntry = { id, name, domains, sources, tags };
  if (pageUrl) e.pageUrl = pageUrl;
  if (aliases) e.aliases = aliases;
  return e;
}
