// The restarting-background scenarios (test/e2e/scenarios/worker-restart-scenarios.ts) in Chromium: its MV3
// service worker is stopped through CDP (ServiceWorker.stopAllWorkers). CI runs this folder on two versions.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { chromiumDriver } from '../scenarios/chromium-driver';
import { workerRestartScenarios } from '../scenarios/worker-restart-scenarios';

describe.runIf(browserAvailable('chromium'))('Chromium', () => workerRestartScenarios('Chromium', chromiumDriver));
