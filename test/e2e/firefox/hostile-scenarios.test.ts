// The hostile-content panel scenarios (test/e2e/scenarios/hostile-scenarios.ts) in Firefox.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { firefoxDriver } from '../scenarios/firefox-driver';
import { hostileScenarios } from '../scenarios/hostile-scenarios';

describe.runIf(browserAvailable('firefox'))('Firefox', () => hostileScenarios('Firefox', firefoxDriver));
