// The workbench scenarios (test/e2e/scenarios/workbench-scenarios.ts) in Firefox, the same as in Chromium.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { firefoxDriver } from '../scenarios/firefox-driver';
import { workbenchScenarios } from '../scenarios/workbench-scenarios';

describe.runIf(browserAvailable('firefox'))('Firefox', () => workbenchScenarios('Firefox', firefoxDriver));
