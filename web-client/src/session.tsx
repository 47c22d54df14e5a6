// Who is signed in. The access token lives in this tab's sessionStorage (gone when the tab
// closes); the refresh token lives in an HttpOnly cookie this code never sees. While the
// coordinator works, the access token is renewed before it expires (`refresh_token` grant);
// after `idleSeconds` without a key press or a click, the session ends. When it ends the view
// stays mounted under a sign-in dialog, so that a note or a form being typed is not lost.
import { QueryClientProvider } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { apiBaseUrl } from "./config";
import { ApiProblem, networkProblem } from "./api/problem";
import { authorize } from "./api/client";
import { makeQueryClient } from "./api/query";

export type Audience = "ccas" | "agency" | "admin" | "none";

export interface Claims {
  sub: string;
  org: string;
  scopes: string[];
  exp: number;
  iat: number;
}

interface Stored {
  token: string;
  login: string;
  /** Seconds without activity after which the session ends (the API's `refresh_expires_in`). */
  idleSeconds?: number;
}

export interface Session {
  token: string | null;
  login: string;
  claims: Claims | null;
  audience: Audience;
  expired: boolean;
  signIn(login: string, password: string): Promise<void>;
  signOut(): void;
}

const KEY = "relais.session";
const DEFAULT_IDLE_SECONDS = 30 * 60;
/** What counts as the coordinator being there; background reads do not. */
const ACTIVITY = ["pointerdown", "keydown", "wheel", "touchstart"] as const;
const SessionContext = createContext<Session | null>(null);

function decodeClaims(token: string): Claims | null {
  try {
    const payload = token.split(".")[1] ?? "";
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    return {
      sub: String(json.sub),
      org: String(json.org),
      scopes: String(json.scope ?? "")
        .split(" ")
        .filter(Boolean),
      exp: Number(json.exp),
      iat: Number(json.iat ?? json.exp - 900),
    };
  } catch {
    return null;
  }
}

function audienceOf(claims: Claims | null): Audience {
  if (!claims) return "none";
  if (claims.scopes.includes("ccas")) return "ccas";
  if (["gendarmerie", "police_municipale", "police_nationale"].some((s) => claims.scopes.includes(s))) return "agency";
  if (claims.scopes.includes("admin")) return "admin";
  return "none";
}

/** Whether the account administers its CCAS (a coordinator may too). */
export function isAdmin(session: Pick<Session, "claims">): boolean {
  return session.claims?.scopes.includes("admin") ?? false;
}

function readStored(): Stored | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

interface Granted {
  token: string;
  idleSeconds: number | undefined;
}

/** A call to the token endpoint; the cookie goes along (and comes back) even cross-origin. */
async function tokenRequest(form: Record<string, string>): Promise<Granted> {
  let response: Response;
  try {
    response = await fetch(`${apiBaseUrl()}/api/v1/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams(form),
      credentials: "include",
    });
  } catch {
    throw networkProblem();
  }
  const json = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new ApiProblem(response.status, { type: "about:blank", title: "", status: response.status, code: "bad_request", ...json });
  const idle = Number(json.refresh_expires_in);
  return { token: String(json.access_token), idleSeconds: Number.isFinite(idle) && idle > 0 ? idle : undefined };
}

/**
 * Trades the cookie's refresh token for a new access token. Tabs share the cookie: a lock
 * makes them take turns, since a refresh token presented twice ends the session.
 */
function refreshGrant(): Promise<Granted> {
  const call = () => tokenRequest({ grant_type: "refresh_token" });
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  // The lock's promise resolves to the callback's result (a nested promise is flattened).
  return locks ? (locks.request("relais.refresh", call) as Promise<unknown> as Promise<Granted>) : call();
}

/** Ends the server's session and clears its cookie; the answer does not matter. */
function revokeSession(): void {
  void fetch(`${apiBaseUrl()}/api/v1/auth/token/revoke`, { method: "POST", credentials: "include" }).catch(() => undefined);
}

/** Renew this long before expiry: a minute, or a quarter of a short-lived token's life. */
function renewMargin(claims: Claims): number {
  return Math.min(60_000, ((claims.exp - claims.iat) * 1000) / 4);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [queries] = useState(makeQueryClient);
  const [stored, setStored] = useState<Stored | null>(readStored);
  const claims = useMemo(() => (stored ? decodeClaims(stored.token) : null), [stored]);
  const [expired, setExpired] = useState(false);
  const lastActivity = useRef(Date.now());
  const refreshing = useRef<Promise<void> | null>(null);
  const idleMs = (stored?.idleSeconds ?? DEFAULT_IDLE_SECONDS) * 1000;

  const store = useCallback((next: Stored | null) => {
    if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
    else sessionStorage.removeItem(KEY);
    setStored(next);
  }, []);

  /** The session is over: the dialog covers the view, the server forgets the session. */
  const end = useCallback(() => {
    setExpired(true);
    revokeSession();
  }, []);

  /** Renews the access token, once at a time; a token for anyone else ends the session. */
  const refresh = useCallback(() => {
    refreshing.current ??= (async () => {
      const current = readStored();
      const was = current ? decodeClaims(current.token) : null;
      try {
        const granted = await refreshGrant();
        const now = decodeClaims(granted.token);
        // The cookie is the browser's: someone else may have signed in from another tab.
        if (!current || !was || !now || now.sub !== was.sub) throw new Error("another account");
        store({ ...current, token: granted.token, idleSeconds: granted.idleSeconds ?? current.idleSeconds });
        setExpired(false);
        void queries.invalidateQueries({ predicate: (q) => q.state.status === "error" });
      } catch {
        setExpired(true);
      } finally {
        refreshing.current = null;
      }
    })();
    return refreshing.current;
  }, [queries, store]);

  const active = useCallback(() => Date.now() - lastActivity.current < idleMs, [idleMs]);

  // Set during render, not in an effect: the views' first requests (their effects run before
  // this provider's) must already carry the token. A 401 renews if the coordinator is there.
  authorize(
    stored?.token ?? null,
    () => (active() ? void refresh() : end()),
    async () => {
      const token = readStored()?.token ?? null;
      const now = token ? decodeClaims(token) : null;
      if (!now || now.exp * 1000 > Date.now() + 5_000 || !active()) return token;
      await refresh();
      return readStored()?.token ?? null;
    },
  );

  useEffect(() => {
    const seen = () => {
      lastActivity.current = Date.now();
    };
    for (const event of ACTIVITY) window.addEventListener(event, seen, { passive: true, capture: true });
    return () => {
      for (const event of ACTIVITY) window.removeEventListener(event, seen, { capture: true });
    };
  }, []);

  // Renew shortly before expiry while the coordinator works; a page reloaded with an expired
  // token renews at once.
  useEffect(() => {
    if (!claims || expired) return;
    const left = claims.exp * 1000 - Date.now() - renewMargin(claims);
    // setTimeout holds 32-bit delays only; tokens live minutes.
    const timer = setTimeout(() => (active() ? void refresh() : end()), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [claims, expired, active, refresh, end]);

  // Inactivity ends the session even between renewals.
  useEffect(() => {
    if (!stored || expired) return;
    const timer = setInterval(() => !active() && end(), Math.min(15_000, idleMs / 4));
    return () => clearInterval(timer);
  }, [stored, expired, idleMs, active, end]);

  const signIn = useCallback(
    async (login: string, password: string) => {
      const granted = await tokenRequest({ grant_type: "password", username: login, password });
      const previous = readStored();
      // Someone else signing in on this tab must not land on the previous user's page, nor
      // see anything the previous user's reads left in the cache.
      if (previous && previous.login !== login) {
        window.history.replaceState(null, "", "/");
        queries.clear();
      }
      lastActivity.current = Date.now();
      store({ token: granted.token, login, ...(granted.idleSeconds ? { idleSeconds: granted.idleSeconds } : {}) });
      setExpired(false);
    },
    [queries, store],
  );

  const signOut = useCallback(() => {
    revokeSession();
    authorize(null);
    store(null);
    queries.clear();
    setExpired(false);
    window.history.replaceState(null, "", "/");
  }, [queries, store]);

  const value: Session = {
    token: stored?.token ?? null,
    login: stored?.login ?? "",
    claims,
    audience: audienceOf(claims),
    expired,
    signIn,
    signOut,
  };
  return (
    <QueryClientProvider client={queries}>
      <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
    </QueryClientProvider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
