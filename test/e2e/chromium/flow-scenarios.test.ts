// The Flows tab scenarios (test/e2e/scenarios/flow-scenarios.ts) in Chromium; CI runs this folder on two versions.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { chromiumDriver } from '../scenarios/chromium-driver';
import { flowScenarios } from '../scenarios/flow-scenarios';

describe.runIf(browserAvailable('chromium'))('Chromium', () => flowScenarios('Chromium', chromiumDriver));
