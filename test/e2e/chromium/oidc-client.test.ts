// The real OpenID client and provider scenarios (test/e2e/scenarios/oidc-scenarios.ts) in Chromium; CI runs this folder on two versions.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { chromiumDriver } from '../scenarios/chromium-driver';
import { oidcScenarios } from '../scenarios/oidc-scenarios';

describe.runIf(browserAvailable('chromium'))('Chromium', () => oidcScenarios('Chromium', chromiumDriver));
