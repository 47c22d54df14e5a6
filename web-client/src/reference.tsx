// What many views name by id: problem types for all; coordinators and sites for the CCAS.
import { createContext, useContext, type ReactNode } from "react";
import { api, ok } from "./api/client";
import type { Coordinator, ProblemType, Site } from "./api/types";
import { useLoad } from "./components/useLoad";
import { allPages } from "./api/query";
import type { Audience } from "./session";

export interface Reference {
  problemTypes: ProblemType[];
  /** The problem types as [code, French label], for checkboxes and options. */
  problemChoices: [string, string][];
  coordinators: Coordinator[];
  sites: Site[];
  problemLabel(code: string): string;
  coordinatorName(id: string | null | undefined): string;
  siteName(id: string): string;
}

const ReferenceContext = createContext<Reference | null>(null);

async function loadReference(audience: Audience, signal: AbortSignal) {
  const problemTypes = ok(api.GET("/api/v1/problem-types", { signal }));
  if (audience !== "ccas") return { problemTypes: await problemTypes, coordinators: [], sites: [] };
  const [types, coordinators, sites] = await Promise.all([
    problemTypes,
    ok(api.GET("/api/v1/coordinators", { signal })),
    allPages((cursor) => ok(api.GET("/api/v1/sites", { signal, params: { query: { limit: 100, cursor } } }))),
  ]);
  return { problemTypes: types, coordinators, sites: sites as Site[] };
}

export function ReferenceProvider({ audience, children }: { audience: Audience; children: ReactNode }) {
  const { data } = useLoad(["reference.data", audience], (signal) => loadReference(audience, signal), {
    staleTime: 10 * 60_000,
  });
  const problemTypes = data?.problemTypes ?? [];
  const coordinators = data?.coordinators ?? [];
  const sites = data?.sites ?? [];
  const value: Reference = {
    problemTypes,
    problemChoices: problemTypes.map((t) => [t.code, t.label_fr]),
    coordinators,
    sites,
    problemLabel: (code) => problemTypes.find((p) => p.code === code)?.label_fr ?? code,
    coordinatorName: (id) => (id ? (coordinators.find((c) => c.id === id)?.display_name ?? "—") : "Non attribuée"),
    siteName: (id) => sites.find((s) => s.id === id)?.name ?? "—",
  };
  return <ReferenceContext.Provider value={value}>{children}</ReferenceContext.Provider>;
}

export function useReference(): Reference {
  const reference = useContext(ReferenceContext);
  if (!reference) throw new Error("useReference outside ReferenceProvider");
  return reference;
}
