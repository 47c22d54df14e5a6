// A keyset-paged list through the query cache: the first page on load, the next ones on demand
// ("Voir plus"), each following the previous page's `next_cursor`.
import { useCallback } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { asProblem } from "../api/problem";
import type { PageOf } from "../api/query";

export type { PageOf };

export interface PagedOptions {
  /** Read the pages shown again every this many milliseconds while the page is visible. */
  refetchInterval?: number;
}

export function usePaged<T>(
  key: readonly unknown[],
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<PageOf<T>>,
  options: PagedOptions = {},
) {
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: options.refetchInterval,
  });
  const { fetchNextPage, refetch } = query;
  const more = useCallback(async () => {
    await fetchNextPage();
  }, [fetchNextPage]);
  const reload = useCallback(() => void refetch(), [refetch]);
  return {
    items: query.data?.pages.flatMap((page) => page.items) ?? [],
    hasMore: query.hasNextPage,
    more,
    loading: query.isFetching,
    problem: query.error ? asProblem(query.error) : null,
    reload,
  };
}
