import { type CatalogEntry, metastatus, probe } from './entry.js';

/**
 * The outage this bot was born from: on 2021-10-04 Facebook's DNS vanished for about six hours
 * and its status page with it. Meta publishes no machine-readable status for its consumer apps,
 * so each is probed at its own front door; metastatus.com covers the developer and business
 * platforms that the app depends on, and those organisations are followed beside the probe.
 */
export const META_FAMILY: readonly CatalogEntry[] = [
  {
    id: 'facebook',
    name: 'Facebook',
    pageUrl: 'https://metastatus.com/',
    domains: ['facebook.com', 'www.facebook.com', 'fb.com'],
    sources: [
      probe('https://www.facebook.com/'),
      metastatus('facebook-login'),
      metastatus('graph-api'),
    ],
    aliases: ['fb'],
    tags: ['meta', 'social'],
  },
  {
    id: 'instagram',
    name: 'Instagram',
    pageUrl: 'https://metastatus.com/',
    domains: ['instagram.com', 'www.instagram.com'],
    sources: [probe('https://www.instagram.com/'), metastatus('ig-boost')],
    aliases: ['ig', 'insta'],
    tags: ['meta', 'social'],
  },
  {
    id: 'whatsapp',
    name: 'WhatsApp',
    pageUrl: 'https://metastatus.com/whatsapp-business-api',
    domains: ['whatsapp.com', 'web.whatsapp.com', 'www.whatsapp.com'],
    sources: [probe('https://web.whatsapp.com/'), metastatus('whatsapp-business-api')],
    aliases: ['wa', 'whatsapp-business'],
    tags: ['meta', 'chat', 'messaging'],
  },
  {
    id: 'messenger',
    name: 'Messenger',
    pageUrl: 'https://metastatus.com/messenger',
    domains: ['messenger.com', 'www.messenger.com'],
    sources: [probe('https://www.messenger.com/'), metastatus('messenger')],
    aliases: ['fb-messenger', 'facebook-messenger'],
    tags: ['meta', 'chat', 'messaging'],
  },
  {
    id: 'threads',
    name: 'Threads',
    domains: ['threads.net', 'www.threads.net', 'threads.com'],
    sources: [probe('https://www.threads.net/')],
    aliases: ['threads-app'],
    tags: ['meta', 'social'],
  },
  {
    id: 'meta-quest',
    name: 'Meta Quest',
    domains: ['meta.com', 'www.meta.com', 'oculus.com'],
    sources: [probe('https://www.meta.com/')],
    aliases: ['quest', 'oculus'],
    tags: ['meta', 'gaming'],
  },
];
