// The panel scenarios (test/e2e/scenarios/panel-scenarios.ts) in Firefox, the same as in Chromium.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { firefoxDriver } from '../scenarios/firefox-driver';
import { panelScenarios } from '../scenarios/panel-scenarios';

describe.runIf(browserAvailable('firefox'))('Firefox', () => panelScenarios('Firefox', firefoxDriver));
