// The popup and the panel in Korean (test/e2e/scenarios/language-scenarios.ts), Chromium started with --lang=ko;
// screenshots of the panel in Korean, light and dark, go to artifacts/.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { chromiumDriver } from '../scenarios/chromium-driver';
import { koreanScenarios } from '../scenarios/language-scenarios';
import { ARTIFACTS } from '../harness/paths';

describe.runIf(browserAvailable('chromium'))('Chromium', () => koreanScenarios('Chromium', chromiumDriver, { screenshotsTo: ARTIFACTS }));
