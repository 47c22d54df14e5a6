// A keyset-paged list: the first page on load, the next ones on demand ("Voir plus").
import { useCallback, useEffect, useRef, useState } from "react";
import { asProblem, type ApiProblem } from "../api/problem";

export interface PageOf<T> {
  items: T[];
  next_cursor?: string | null;
}

export function usePaged<T>(fetchPage: (cursor: string | undefined) => Promise<PageOf<T>>, deps: unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const fetcher = useRef(fetchPage);
  fetcher.current = fetchPage;

  useEffect(() => {
    const run = ++generation.current;
    setLoading(true);
    fetcher
      .current(undefined)
      .then((page) => {
        if (run !== generation.current) return;
        setItems(page.items);
        setNext(page.next_cursor ?? null);
        setProblem(null);
      })
      .catch((error: unknown) => run === generation.current && setProblem(asProblem(error)))
      .finally(() => run === generation.current && setLoading(false));
    // The caller names what the load depends on, as with useEffect; `tick` forces a reload.
  }, [...deps, tick]);

  const more = useCallback(async () => {
    if (!next) return;
    const run = generation.current;
    setLoading(true);
    try {
      const page = await fetcher.current(next);
      if (run !== generation.current) return;
      setItems((current) => [...current, ...page.items]);
      setNext(page.next_cursor ?? null);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setLoading(false);
    }
  }, [next]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { items, hasMore: next !== null, more, loading, problem, reload };
}
