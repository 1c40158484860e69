// The hostile-content panel scenarios (test/e2e/scenarios/hostile-scenarios.ts) in Chromium; CI runs this folder on two versions.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { chromiumDriver } from '../scenarios/chromium-driver';
import { hostileScenarios } from '../scenarios/hostile-scenarios';

describe.runIf(browserAvailable('chromium'))('Chromium', () => hostileScenarios('Chromium', chromiumDriver));
