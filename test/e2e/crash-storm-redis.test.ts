import { describeCrashStorm } from './crash-storm-run.js';

describeCrashStorm('redis');
