// Every referral of the CCAS, by status, most recent first.
import { LabelOptions } from "../components/Choices";
import { useState } from "react";
import { Link } from "wouter";
import { api, ok } from "../api/client";
import type { CcasReferral, ReferralStatus } from "../api/types";
import { Field } from "../components/Field";
import { PageTitle } from "../components/Layout";
import { MoreButton } from "../components/MoreButton";
import { ProblemAlert } from "../components/ProblemAlert";
import { usePaged } from "../components/usePaged";
import { referralStatus } from "../labels";
import { ReferralTable } from "./shared";

/** New referrals arrive while the page is open: read again every minute while it is visible. */
const BACKGROUND = { refetchInterval: 60_000 };

export function Inbox() {
  const [status, setStatus] = useState<ReferralStatus | "">("received");
  const list = usePaged(
    ["Inbox.list", status],
    async (cursor, signal) => {
      const page = await ok(
        api.GET("/api/v1/referrals", { signal, params: { query: { status: status || undefined, limit: 50, cursor } } }),
      );
      return page as { items: CcasReferral[]; next_cursor?: string | null };
    },
    BACKGROUND,
  );

  return (
    <section>
      <PageTitle title="Saisines">Saisines</PageTitle>
      <div className="toolbar">
        <Field label="Statut">
          {(c) => (
            <select {...c} value={status} onChange={(e) => setStatus(e.target.value as ReferralStatus | "")}>
              <option value="">Toutes</option>
              <LabelOptions labels={referralStatus} />
            </select>
          )}
        </Field>
        <Link className="button-secondary" href="/saisines/nouvelle">
          Enregistrer une venue spontanée
        </Link>
      </div>
      <ProblemAlert problem={list.problem} />
      {!list.loading || list.items.length > 0 ? (
        <ReferralTable referrals={list.items} label="Saisines" />
      ) : (
        <p aria-live="polite">Chargement…</p>
      )}
      <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={() => void list.more()} />
    </section>
  );
}
