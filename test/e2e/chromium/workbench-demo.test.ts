// The workbench on the demo app (test/e2e/scenarios/workbench-demo-scenarios.ts) in Chromium.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { chromiumDriver } from '../scenarios/chromium-driver';
import { workbenchDemoScenarios } from '../scenarios/workbench-demo-scenarios';

describe.runIf(browserAvailable('chromium'))('Chromium', () => workbenchDemoScenarios('Chromium', chromiumDriver));
