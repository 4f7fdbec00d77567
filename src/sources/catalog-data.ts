import type { Service } from '../incidents/model.js';

/**
 * Built-in services whose status pages speak Statuspage v2 (`/api/v2/summary.json`). Kept to
 * pages known to be on Statuspage (or incident.io's compatible API, noted); the full catalog is a
 * later issue. Operators add or override entries with SERVICES_FILE.
 */
const STATUSPAGE_PAGES: ReadonlyArray<[id: string, name: string, url: string, aliases?: string[]]> =
  [
    ['github', 'GitHub', 'https://www.githubstatus.com', ['gh']],
    ['discord', 'Discord', 'https://discordstatus.com'],
    ['cloudflare', 'Cloudflare', 'https://www.cloudflarestatus.com', ['cf']],
    ['zoom', 'Zoom', 'https://status.zoom.us'],
    ['reddit', 'Reddit', 'https://www.redditstatus.com'],
    // status.anthropic.com redirects here.
    ['claude', 'Claude', 'https://status.claude.com', ['anthropic']],
    ['atlassian', 'Atlassian', 'https://status.atlassian.com', ['jira', 'confluence']],
    ['bitbucket', 'Bitbucket', 'https://bitbucket.status.atlassian.com'],
    ['digitalocean', 'DigitalOcean', 'https://status.digitalocean.com', ['do']],
    ['twilio', 'Twilio', 'https://status.twilio.com'],
    ['sendgrid', 'SendGrid', 'https://status.sendgrid.com'],
    ['dropbox', 'Dropbox', 'https://status.dropbox.com'],
    ['npm', 'npm', 'https://status.npmjs.org', ['npmjs']],
    ['linode', 'Linode', 'https://status.linode.com'],
    ['netlify', 'Netlify', 'https://www.netlifystatus.com'],
    ['vercel', 'Vercel', 'https://www.vercel-status.com'],
    ['datadog', 'Datadog', 'https://status.datadoghq.com'],
    ['newrelic', 'New Relic', 'https://status.newrelic.com'],
    ['sentry', 'Sentry', 'https://status.sentry.io'],
    ['circleci', 'CircleCI', 'https://status.circleci.com'],
    ['supabase', 'Supabase', 'https://status.supabase.com'],
    ['figma', 'Figma', 'https://status.figma.com'],
    ['coinbase', 'Coinbase', 'https://status.coinbase.com'],
    ['mailgun', 'Mailgun', 'https://status.mailgun.com'],
    ['epicgames', 'Epic Games', 'https://status.epicgames.com', ['epic', 'fortnite']],
    // incident.io, through its Statuspage-compatible API (source-formats.md §2.1).
    ['openai', 'OpenAI', 'https://status.openai.com', ['chatgpt']],
  ];

export const BUILTIN_SERVICES: readonly Service[] = STATUSPAGE_PAGES.map(
  ([id, name, url, aliases = []]) => ({
    id,
    name,
    aliases,
    sources: [{ kind: 'statuspage', url }],
    trusted: true,
  }),
);
