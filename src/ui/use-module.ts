import { useEffect, useState } from 'preact/hooks';

/**
 * A module loaded after the first paint. A surface that must open fast (the popup) paints what it has
 * first — the input — and takes what a token needs (analysis, claim catalogue, verification) from a chunk
 * of its own. `load` is called once per loader, and the result shared by every component that asks.
 */
export function useModule<T>(loader: ModuleLoader<T>): T | undefined {
  const [loaded, setLoaded] = useState<T | undefined>(loader.value);
  useEffect(() => {
    if (loaded !== undefined) return;
    let live = true;
    // A failed load (the extension updated under an open page) leaves the page as it was painted.
    loader.get().then(
      (m) => live && setLoaded(m),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [loader, loaded]);
  return loaded;
}

export interface ModuleLoader<T> {
  /** The module once it has loaded. */
  readonly value: T | undefined;
  get(): Promise<T>;
}

export function moduleLoader<T>(load: () => Promise<T>): ModuleLoader<T> {
  let pending: Promise<T> | undefined;
  const loader = {
    value: undefined as T | undefined,
    get(): Promise<T> {
      pending ??= load().then(
        (m) => (loader.value = m),
        (e: unknown) => {
          pending = undefined; // a failed load (extension updated under the page) is tried again
          throw e;
        },
      );
      return pending;
    },
  };
  return loader;
}
