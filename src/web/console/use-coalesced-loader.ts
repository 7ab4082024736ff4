import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  value: T | null;
  error: string | null;
  /** Loads again; calls made while a load runs collapse into one more load after it. */
  reload: () => void;
  /** Replaces the value with a fresher one the caller already has (an action's response). */
  setValue: (value: T) => void;
}

/**
 * Loads `load()` now and again whenever `reload` is called, at most one request at a time.
 * Live events can arrive in bursts; each burst costs at most two requests, and the last answer wins.
 * A change of `key` discards answers of the previous key.
 */
export function useCoalescedLoader<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ key: string; value: T | null; error: string | null }>({
    key,
    value: null,
    error: null,
  });
  const running = useRef(false);
  const pending = useRef(false);
  const currentKey = useRef(key);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async () => {
    if (running.current) {
      pending.current = true;
      return;
    }
    running.current = true;
    do {
      pending.current = false;
      const requestedKey = currentKey.current;
      try {
        const value = await loadRef.current();
        if (requestedKey === currentKey.current)
          setState({ key: requestedKey, value, error: null });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (requestedKey === currentKey.current) {
          setState((previous) => ({ ...previous, key: requestedKey, error: message }));
        }
      }
    } while (pending.current);
    running.current = false;
  }, []);

  useEffect(() => {
    currentKey.current = key;
    setState({ key, value: null, error: null });
    void run();
  }, [key, run]);

  const setValue = useCallback((value: T) => {
    setState({ key: currentKey.current, value, error: null });
  }, []);

  const reload = useCallback(() => void run(), [run]);
  const fresh = state.key === key;
  return {
    value: fresh ? state.value : null,
    error: fresh ? state.error : null,
    reload,
    setValue,
  };
}
