// The popup and the panel in Korean (test/e2e/scenarios/language-scenarios.ts), Firefox asked for ko.
import { describe } from 'vitest';
import { browserAvailable } from '../harness/browsers';
import { firefoxDriver } from '../scenarios/firefox-driver';
import { koreanScenarios } from '../scenarios/language-scenarios';

describe.runIf(browserAvailable('firefox'))('Firefox', () => koreanScenarios('Firefox', firefoxDriver));
