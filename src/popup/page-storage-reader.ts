// Runs in the active tab (chrome.scripting.executeScript serialises it): it must be self-contained, reference
// nothing outside itself, and bound what it reads, because the page is untrusted.
export function readPageStorage(maxItems: number, maxValueChars: number) {
  const read = (area: 'localStorage' | 'sessionStorage'): [string, string, boolean?][] => {
    const items: [string, string, boolean?][] = [];
    let store: Storage | undefined;
    try {
      store = window[area];
    } catch {
      return items;
    }
    if (!store) return items;
    const n = Math.min(store.length, maxItems);
    for (let i = 0; i < n; i++) {
      try {
        const key = store.key(i);
        if (key === null) continue;
        const value = String(store.getItem(key) ?? '');
        items.push(value.length > maxValueChars ? [key.slice(0, 1024), value.slice(0, maxValueChars), true] : [key.slice(0, 1024), value]);
      } catch {
        // one unreadable item does not hide the rest
      }
    }
    return items;
  };
  let cookie = '';
  try {
    cookie = String(document.cookie).slice(0, maxValueChars);
  } catch {
    cookie = '';
  }
  return { url: String(location.href).slice(0, 4096), localStorage: read('localStorage'), sessionStorage: read('sessionStorage'), cookie };
}
