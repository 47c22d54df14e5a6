// Component-test helpers: a token shaped like the API's, and a fetch that answers like the API
// for the few routes a test names (the real API is exercised end to end, in e2e/).
import { vi } from "vitest";

export function fakeToken(claims: { sub?: string; org?: string; scope?: string; expiresInSeconds?: number }): string {
  const encode = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + (claims.expiresInSeconds ?? 900);
  const payload = { sub: claims.sub ?? "user-1", org: claims.org ?? "org-1", scope: claims.scope ?? "ccas", exp, iat };
  return `${encode({ alg: "EdDSA", typ: "at+jwt" })}.${encode(payload)}.signature`;
}

export function signedInAs(login: string, token: string, idleSeconds?: number) {
  sessionStorage.setItem("relais.session", JSON.stringify({ token, login, idleSeconds }));
}

export type Route = (request: Request) => Response | Promise<Response> | undefined;

export const json = (status: number, body: unknown, type = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });

/** Replaces fetch; every request is recorded; a request no route answers fails the test. */
export function stubFetch(...routes: Route[]) {
  const requests: Request[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    requests.push(request.clone());
    for (const route of routes) {
      const response = await route(request);
      if (response) return response;
    }
    throw new Error(`unexpected request ${request.method} ${request.url}`);
  });
  vi.stubGlobal("fetch", fetch);
  return requests;
}

export const on =
  (method: string, path: string, answer: (request: Request) => Response | Promise<Response>): Route =>
  (request) =>
    request.method === method && new URL(request.url).pathname === path ? answer(request) : undefined;
