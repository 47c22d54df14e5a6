// Loads what a view shows, through the query cache: `key` names the data (a view shown twice
// reads it once), the signal cancels a load the view no longer needs, and every successful
// change (`useAction`) invalidates the cache so that what is shown is read again.
import { useCallback, useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { asProblem, type ApiProblem } from "../api/problem";

export interface Loaded<T> {
  data: T | undefined;
  problem: ApiProblem | null;
  loading: boolean;
  reload: () => void;
}

export interface LoadOptions {
  /** Read again every this many milliseconds while the page is visible. */
  refetchInterval?: number;
  /** How long an answer is shown without reading it again (default 30 s). */
  staleTime?: number;
  /** False while the view does not show this data (default true). */
  enabled?: boolean;
}

export function useLoad<T>(key: readonly unknown[], load: (signal: AbortSignal) => Promise<T>, options: LoadOptions = {}): Loaded<T> {
  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => load(signal),
    refetchInterval: options.refetchInterval,
    enabled: options.enabled ?? true,
    ...(options.staleTime === undefined ? {} : { staleTime: options.staleTime }),
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  return {
    data: query.data,
    problem: query.error ? asProblem(query.error) : null,
    loading: query.isFetching,
    reload,
  };
}

/**
 * Runs an action (a form's submit): its problem, if any, the problem's errors by field, and
 * whether it is under way. `handleSubmit(action)` is a form's `onSubmit` that runs it. After a
 * success every cached read is stale: the views on screen read again.
 */
export function useAction() {
  const queries = useQueryClient();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (action: () => Promise<void>) => {
      setBusy(true);
      setProblem(null);
      try {
        await action();
        void queries.invalidateQueries();
      } catch (error) {
        setProblem(asProblem(error));
      } finally {
        setBusy(false);
      }
    },
    [queries],
  );
  const handleSubmit = (action: () => Promise<void>) => (event: FormEvent) => {
    event.preventDefault();
    void run(action);
  };
  return { problem, errors: problem?.fields() ?? {}, busy, run, handleSubmit, setProblem };
}
