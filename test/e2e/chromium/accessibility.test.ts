// WCAG 2.1 A/AA with axe-core on the popup, the options page and the panel, light and dark
// (test/e2e/scenarios/accessibility-scenarios.ts).
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { chromiumDriver } from '../scenarios/chromium-driver';
import { accessibilityScenarios } from '../scenarios/accessibility-scenarios';

describe.runIf(browserAvailable('chromium'))('Chromium', () => accessibilityScenarios('Chromium', chromiumDriver));
