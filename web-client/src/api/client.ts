// The one API client, typed from the OpenAPI document: a contract change breaks `tsc`, not users.
import createClient from "openapi-fetch";
import { apiBaseUrl } from "../config";
import { ApiProblem, networkProblem } from "./problem";
import type { paths } from "./schema";
import type { Problem } from "./types";

let bearer: string | null = null;
let onUnauthorized: () => void = () => {};
let fresh: () => Promise<string | null> = async () => bearer;

/**
 * Called by the session: the token to send, what to do when the API says it is no longer
 * valid, and how to get a valid one when it has expired (a request then waits for the renewal
 * instead of being refused).
 */
export function authorize(
  token: string | null,
  whenRejected: () => void = () => {},
  renewed: () => Promise<string | null> = async () => token,
) {
  bearer = token;
  onUnauthorized = whenRejected;
  fresh = renewed;
}

export const api = createClient<paths>({
  baseUrl: apiBaseUrl() || (typeof window === "undefined" ? "" : window.location.origin),
  // Late-bound, so that a test may replace `fetch`.
  fetch: (request) => globalThis.fetch(request),
});

api.use({
  async onRequest({ request }) {
    if (bearer && !request.headers.has("Authorization")) {
      const token = await fresh();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
    }
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && bearer) onUnauthorized();
    return response;
  },
});

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** Awaits an API call: its data, or an ApiProblem (also for network failures). */
export async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch {
    throw networkProblem();
  }
  if (answer.response.ok) return answer.data as T;
  throw new ApiProblem(answer.response.status, asProblemBody(answer.error, answer.response.status));
}

function asProblemBody(error: unknown, status: number): Problem {
  if (error && typeof error === "object" && "code" in error) return error as Problem;
  return { type: "about:blank", title: "HTTP error", status, code: status >= 500 ? "internal_error" : "bad_request" };
}

/** The `If-Match` value for a resource read at `version` (the API's ETag). */
export function ifMatch(version: number): string {
  return `"${version}"`;
}
