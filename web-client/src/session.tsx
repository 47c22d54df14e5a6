// Who is signed in. The token lives in this tab's sessionStorage (gone when the tab closes)
// and is never shared with other tabs. When it expires the view stays mounted under a sign-in
// dialog, so that a note or a form being typed is not lost.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { apiBaseUrl } from "./config";
import { ApiProblem, networkProblem } from "./api/problem";
import { authorize } from "./api/client";

export type Audience = "ccas" | "agency" | "none";

export interface Claims {
  sub: string;
  org: string;
  scopes: string[];
  exp: number;
}

interface Stored {
  token: string;
  login: string;
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
    };
  } catch {
    return null;
  }
}

function audienceOf(claims: Claims | null): Audience {
  if (!claims) return "none";
  if (claims.scopes.includes("ccas")) return "ccas";
  if (claims.scopes.includes("gendarmerie") || claims.scopes.includes("police_municipale")) return "agency";
  return "none";
}

function readStored(): Stored | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

async function requestToken(login: string, password: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: "password", username: login, password });
  let response: Response;
  try {
    response = await fetch(`${apiBaseUrl()}/api/v1/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body,
    });
  } catch {
    throw networkProblem();
  }
  const json = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new ApiProblem(response.status, { type: "about:blank", title: "", status: response.status, code: "bad_request", ...json });
  return String(json.access_token);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [stored, setStored] = useState<Stored | null>(readStored);
  const claims = useMemo(() => (stored ? decodeClaims(stored.token) : null), [stored]);
  const [expired, setExpired] = useState(() => (claims ? claims.exp * 1000 <= Date.now() : false));

  // Set during render, not in an effect: the views' first requests (their effects run before
  // this provider's) must already carry the token.
  authorize(stored?.token ?? null, () => setExpired(true));

  useEffect(() => {
    if (!claims) return;
    const left = claims.exp * 1000 - Date.now();
    if (left <= 0) {
      setExpired(true);
      return;
    }
    // setTimeout holds 32-bit delays only; tokens live minutes.
    const timer = setTimeout(() => setExpired(true), Math.min(left, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [stored, claims]);

  const signIn = useCallback(async (login: string, password: string) => {
    const token = await requestToken(login, password);
    const next = { token, login };
    const previous = readStored();
    sessionStorage.setItem(KEY, JSON.stringify(next));
    // Someone else signing in on this tab must not land on the previous user's page.
    if (previous && previous.login !== login) window.history.replaceState(null, "", "/");
    setStored(next);
    setExpired(false);
  }, []);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY);
    authorize(null);
    setStored(null);
    setExpired(false);
    window.history.replaceState(null, "", "/");
  }, []);

  const value: Session = {
    token: stored?.token ?? null,
    login: stored?.login ?? "",
    claims,
    audience: audienceOf(claims),
    expired,
    signIn,
    signOut,
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
