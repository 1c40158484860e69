// The one reader of what a page keeps where its scripts can read it: localStorage, sessionStorage,
// document.cookie and its own address. The panel evaluates it in the inspected page as
// STORAGE_SNAPSHOT_EXPRESSION (storage-snapshot.ts: `devtools.inspectedWindow.eval` takes text); the popup
// injects the function itself (`scripting.executeScript` with `func`). One function, one set of limits.
//
// It runs in the page, so it must be self-contained: no reference to anything outside its own body (the
// browser serialises it by its source), and it trusts nothing of the page. Every access is wrapped in
// try/catch (storage getters throw in sandboxed frames and with storage disabled), and it is bounded: at
// most maxItems items per area, keys and values cut, and a total budget, so megabytes in storage cannot
// stall DevTools or the page. A cut value is flagged (third element `true`, `cookieTruncated`).
// document.cookie is read first: it is small, and it must not be starved by a large localStorage.

export interface StorageReadLimits {
  maxItems: number;
  maxValueChars: number;
  maxKeyChars: number;
  maxTotalChars: number;
  maxUrlChars: number;
}

/** [key, value] and, when the value was cut, `true`. */
export type StorageItem = [key: string, value: string, truncated?: boolean];

export interface StorageSnapshot {
  url: string;
  localStorage: StorageItem[];
  sessionStorage: StorageItem[];
  cookie: string;
  cookieTruncated?: boolean;
}

export function readPageStorage(limits: StorageReadLimits): StorageSnapshot {
  // No inner functions: a transform that names functions (esbuild's keepNames, under tsx in the bench)
  // would call a helper that does not exist in the page.
  let budget = limits.maxTotalChars;
  const result: StorageSnapshot = { url: '', localStorage: [], sessionStorage: [], cookie: '' };
  try {
    result.url = String(location.href).slice(0, limits.maxUrlChars);
  } catch {
    // no address to read: a sandboxed or closing document
  }
  try {
    const cookie = String(document.cookie);
    const limit = Math.min(limits.maxValueChars, Math.max(budget, 0));
    result.cookie = cookie.slice(0, limit);
    budget -= result.cookie.length;
    if (cookie.length > limit) result.cookieTruncated = true;
  } catch {
    // cookies disabled or the document sandboxed
  }
  for (const area of ['localStorage', 'sessionStorage'] as const) {
    const items: StorageItem[] = result[area];
    let store: Storage | undefined;
    let n = 0;
    try {
      store = window[area];
      n = store ? Math.min(Number(store.length) || 0, limits.maxItems) : 0;
    } catch {
      continue;
    }
    for (let i = 0; store && i < n && budget > 0; i++) {
      try {
        const key = store.key(i);
        if (key === null || key === undefined) continue;
        const raw = store.getItem(key);
        const keyText = String(key);
        const keyLimit = Math.min(limits.maxKeyChars, Math.max(budget, 0));
        const k = keyText.slice(0, keyLimit);
        budget -= k.length;
        const valueText = String(raw === null || raw === undefined ? '' : raw);
        const valueLimit = Math.min(limits.maxValueChars, Math.max(budget, 0));
        const v = valueText.slice(0, valueLimit);
        budget -= v.length;
        items.push(valueText.length > valueLimit ? [k, v, true] : [k, v]);
      } catch {
        // one unreadable item does not hide the rest
      }
    }
  }
  return result;
}
