// Background capture's scenarios (test/e2e/scenarios/background-capture-scenarios.ts) in Chromium, on a copy
// of dist/chrome that grants host access to 127.0.0.1 at install (a headless Chromium cannot answer the
// permission prompt; test/e2e/harness/host-granted-build.ts). The worker is stopped over CDP in between.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { backgroundCaptureScenarios } from '../scenarios/background-capture-scenarios';
import { chromiumBackgroundDriver } from '../scenarios/chromium-background-driver';

describe.runIf(browserAvailable('chromium'))('Chromium', () => backgroundCaptureScenarios('Chromium', chromiumBackgroundDriver));
