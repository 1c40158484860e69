// Background capture's scenarios (test/e2e/scenarios/background-capture-scenarios.ts) in Firefox, through the
// real optional-permission path (the harness tells Firefox to grant without its prompt). The event page is
// stopped the way about:debugging's "Terminate background script" does (firefox-background-driver.ts).
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { backgroundCaptureScenarios } from '../scenarios/background-capture-scenarios';
import { firefoxBackgroundDriver } from '../scenarios/firefox-background-driver';

describe.runIf(browserAvailable('firefox'))('Firefox', () => backgroundCaptureScenarios('Firefox', firefoxBackgroundDriver));
