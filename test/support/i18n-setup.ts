// Component tests run outside an extension, where no browser.i18n answers: the views read the English
// catalogue from src/locales, through the browser's substitution rules (src/ui/i18n.ts). A test that switches
// the language sets another source and resets this one after it.
import { afterEach } from 'vitest';
import { buildMessages, DEFAULT_LANGUAGE } from '../../src/locales/catalogue';
import { messageSourceFrom, setMessageSource } from '../../src/ui/i18n';

const english = messageSourceFrom(buildMessages(DEFAULT_LANGUAGE));
setMessageSource(english);
afterEach(() => setMessageSource(english));
