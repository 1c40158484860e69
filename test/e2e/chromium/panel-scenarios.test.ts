// The panel scenarios (test/e2e/scenarios/panel-scenarios.ts) in Chromium; CI runs this folder on two versions.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { chromiumDriver } from '../scenarios/chromium-driver';
import { panelScenarios } from '../scenarios/panel-scenarios';

describe.runIf(browserAvailable('chromium'))('Chromium', () => panelScenarios('Chromium', chromiumDriver));
