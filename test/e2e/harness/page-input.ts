import type { Frame, Page } from 'puppeteer-core';

/** Sets a textarea's value as a paste would and fires the input event Preact listens to. */
export async function pasteInto(page: Page | Frame, selector: string, text: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.$eval(
    selector,
    (el, value) => {
      const input = el as HTMLTextAreaElement;
      input.focus();
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    text,
  );
}

export async function textOf(page: Page | Frame, selector: string): Promise<string> {
  await page.waitForSelector(selector);
  return page.$eval(selector, (el) => (el as HTMLElement).innerText);
}
