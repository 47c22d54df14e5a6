// Server state: TanStack Query over the typed openapi-fetch client. The session owns the one
// cache of a tab (see session.tsx) and clears it whenever the signed-in account changes, so
// that no answer outlives the session that read it.
import { QueryClient } from "@tanstack/react-query";
import createQueryHooks from "openapi-react-query";
import { api } from "./client";
import { ApiProblem } from "./problem";

/** Retries a failed read once when the cause may pass (network, 5xx, 429), never a refusal. */
function retryable(failures: number, error: unknown): boolean {
  if (failures >= 1) return false;
  if (!(error instanceof ApiProblem)) return true;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, gcTime: 5 * 60_000, retry: retryable, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}

/** Typed query hooks: `$api.useQuery("get", "/api/v1/referrals", { params })`. */
export const $api = createQueryHooks(api);

export interface PageOf<T> {
  items: T[];
  next_cursor?: string | null;
}

/** Every item of a keyset-paged list, following `next_cursor` (at most `maxPages` pages). */
export async function allPages<T>(fetchPage: (cursor: string | undefined) => Promise<PageOf<T>>, maxPages = 50): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await fetchPage(cursor);
    items.push(...answer.items);
    if (!answer.next_cursor) break;
    cursor = answer.next_cursor;
  }
  return items;
}
