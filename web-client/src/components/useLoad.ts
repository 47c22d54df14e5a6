// Loads what a view shows; `reload` after a change. A newer load wins over a slower older one.
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { asProblem, type ApiProblem } from "../api/problem";

export interface Loaded<T> {
  data: T | undefined;
  problem: ApiProblem | null;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const run = ++latest.current;
    setLoading(true);
    load()
      .then((value) => {
        if (run !== latest.current) return;
        setData(value);
        setProblem(null);
      })
      .catch((error: unknown) => {
        if (run === latest.current) setProblem(asProblem(error));
      })
      .finally(() => {
        if (run === latest.current) setLoading(false);
      });
    // The caller names what the load depends on, as with useEffect; `tick` forces a reload.
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, problem, loading, reload };
}

/**
 * Runs an action (a form's submit): its problem, if any, the problem's errors by field, and
 * whether it is under way. `handleSubmit(action)` is a form's `onSubmit` that runs it.
 */
export function useAction() {
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }, []);
  const handleSubmit = (action: () => Promise<void>) => (event: FormEvent) => {
    event.preventDefault();
    void run(action);
  };
  return { problem, errors: problem?.fields() ?? {}, busy, run, handleSubmit, setProblem };
}
