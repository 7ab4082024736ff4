import { useCallback, useEffect, useState } from 'react';

/** Loads once (and again on `reload`); keeps the last value while reloading. */
export function useLoaded<T>(load: () => Promise<T>, key = '') {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (loaded) => {
        if (!current) return;
        setValue(loaded);
        setError(null);
      },
      (cause: unknown) => current && setError((cause as Error).message),
    );
    return () => {
      current = false;
    };
    // `load` is recreated each render; `key` and `version` say when to load again.
  }, [key, version]);
  const reload = useCallback(() => setVersion((next) => next + 1), []);
  return { value, error, reload };
}
