// The restarting-background scenarios (test/e2e/scenarios/worker-restart-scenarios.ts) in Firefox: its MV3
// background is an event page, unloaded the way Firefox does after a while without events (and about:debugging's
// "Terminate background script" does) — see stopWorker in test/e2e/scenarios/firefox-driver.ts.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { firefoxDriver } from '../scenarios/firefox-driver';
import { workerRestartScenarios } from '../scenarios/worker-restart-scenarios';

describe.runIf(browserAvailable('firefox'))('Firefox', () => workerRestartScenarios('Firefox', firefoxDriver));
