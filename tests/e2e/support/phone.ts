import type { Browser, Page } from "playwright-core";

/** The phone size the browser tests use (an iPhone 14's CSS viewport). */
export const PHONE = { width: 390, height: 844 } as const;

/** A page in a phone-sized, touch, mobile context; close the page's context when done. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  return context.newPage();
}

/**
 * Boxes that scroll sideways on a phone by design: Polaris' tab strip (Tabs), which Shopify's admin also swipes
 * sideways when its tabs do not fit. Anything else that scrolls sideways is a layout that did not reflow.
 */
const SWIPE_STRIPS = [".Polaris-Tabs__Wrapper"];

/**
 * What scrolls sideways on the page: the document when its content is wider than the window, and every element that
 * can scroll horizontally and has more to show than its width (a table's own scroll box scrolls sideways without
 * widening the document, so the document's width alone would miss it), except the tab strips above. Each is described
 * by its tag and classes, so a failure names the culprit. Empty: nothing to scroll sideways.
 */
export async function sidewaysScrollers(page: Page): Promise<string[]> {
  return page.evaluate((swipeStrips) => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) found.push(`document (${root.scrollWidth} px in ${root.clientWidth} px)`);
    for (const element of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
      if (swipeStrips.some((selector) => element.matches(selector))) continue;
      const overflowX = getComputedStyle(element).overflowX;
      if (overflowX !== "auto" && overflowX !== "scroll") continue;
      // 1 px of slack: sub-pixel widths round either way.
      if (element.scrollWidth - element.clientWidth <= 1 || element.clientWidth === 0) continue;
      found.push(`${element.tagName.toLowerCase()}.${[...element.classList].join(".")} (${element.scrollWidth} px in ${element.clientWidth} px)`);
    }
    return found;
  }, SWIPE_STRIPS);
}
