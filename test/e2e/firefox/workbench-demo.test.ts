// The workbench on the demo app (test/e2e/scenarios/workbench-demo-scenarios.ts) in Firefox.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { firefoxDriver } from '../scenarios/firefox-driver';
import { workbenchDemoScenarios } from '../scenarios/workbench-demo-scenarios';

describe.runIf(browserAvailable('firefox'))('Firefox', () => workbenchDemoScenarios('Firefox', firefoxDriver));
