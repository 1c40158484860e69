// The Flows tab scenarios (test/e2e/scenarios/flow-scenarios.ts) in Firefox.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { firefoxDriver } from '../scenarios/firefox-driver';
import { flowScenarios } from '../scenarios/flow-scenarios';

describe.runIf(browserAvailable('firefox'))('Firefox', () => flowScenarios('Firefox', firefoxDriver));
