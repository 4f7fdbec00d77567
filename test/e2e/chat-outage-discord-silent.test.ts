import { CHAT_OUTAGES, describeChatOutage } from './chat-outage-case.js';

describeChatOutage(CHAT_OUTAGES.discordSilent);
