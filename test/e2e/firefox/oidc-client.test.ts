// The real OpenID client and provider scenarios (test/e2e/scenarios/oidc-scenarios.ts) in Firefox.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { firefoxDriver } from '../scenarios/firefox-driver';
import { oidcScenarios } from '../scenarios/oidc-scenarios';

describe.runIf(browserAvailable('firefox'))('Firefox', () => oidcScenarios('Firefox', firefoxDriver));
