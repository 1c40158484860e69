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
  let budget = limits.maxTotalChars;
  const result: StorageSnapshot = { url: '', localStorage: [], sessionStorage: [], cookie: '' };
  const take = (value: unknown, max: number): { text: string; cut: boolean } => {
    let text = String(value);
    const limit = Math.min(max, Math.max(budget, 0));
    const cut = text.length > limit;
    if (cut) text = text.slice(0, limit);
    budget -= text.length;
    return { text, cut };
  };
  const read = (area: 'localStorage' | 'sessionStorage'): StorageItem[] => {
    const items: StorageItem[] = [];
    let store: Storage | undefined;
    try {
      store = window[area];
    } catch {
      return items;
    }
    if (!store) return items;
    let n = 0;
    try {
      n = Math.min(Number(store.length) || 0, limits.maxItems);
    } catch {
      return items;
    }
    for (let i = 0; i < n && budget > 0; i++) {
      try {
        const key = store.key(i);
        if (key === null || key === undefined) continue;
        const raw = store.getItem(key);
        const k = take(key, limits.maxKeyChars);
        const v = take(raw === null || raw === undefined ? '' : raw, limits.maxValueChars);
        items.push(v.cut ? [k.text, v.text, true] : [k.text, v.text]);
      } catch {
        // one unreadable item does not hide the rest
      }
    }
    return items;
  };
  try {
    result.url = String(location.href).slice(0, limits.maxUrlChars);
  } catch {
    // no address to read: a sandboxed or closing document
  }
  try {
    const c = take(document.cookie, limits.maxValueChars);
    result.cookie = c.text;
    if (c.cut) result.cookieTruncated = true;
  } catch {
    // cookies disabled or the document sandboxed
  }
  result.localStorage = read('localStorage');
  result.sessionStorage = read('sessionStorage');
  return result;
}
