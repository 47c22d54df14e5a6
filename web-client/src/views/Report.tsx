// The activity report: a period, the main figures as charts, the month-by-month trend, and the
// full figures as CSV for the yearly report; or the same period in the funders' grid.
import { fileName, saveFile } from "../download";
import { useState } from "react";
import { api, ok } from "../api/client";
import { ApiProblem, asProblem } from "../api/problem";
import type { ActivityReport, Breakdown, FundersReport, OriginReactivity } from "../api/types";
import { BarChart, countText, type Bar } from "../components/BarChart";
import { Field } from "../components/Field";
import { PageTitle } from "../components/Layout";
import { PrintButton } from "../components/PrintButton";
import { ProblemAlert } from "../components/ProblemAlert";
import { useLoad } from "../components/useLoad";
import { appointmentKind, appointmentStatus, contactChannel, interventionKind, partnerKind, referralStatus, role, source } from "../labels";
import { useReference } from "../reference";
import { delayText, formatDate, parisDay } from "../time";
import { FundersGrid } from "./FundersGrid";

type Layout = "standard" | "funders";
const LAYOUTS: [Layout, string][] = [
  ["standard", "Bilan détaillé"],
  ["funders", "Grille des financeurs"],
];

type Labels = Record<string, string>;
const AGE: Labels = { minor: "Mineurs", adult: "Majeurs", unknown: "Âge inconnu" };

function bars(breakdown: Breakdown[], labels: Labels | ((key: string) => string)): Bar[] {
  const label = typeof labels === "function" ? labels : (key: string) => labels[key] ?? key;
  return [...breakdown].sort((a, b) => (b.count.value ?? 0) - (a.count.value ?? 0)).map((b) => ({ label: label(b.key), count: b.count }));
}

const appointmentLabel = (key: string) => {
  const [kind = "", status = ""] = key.split(":");
  return `${(appointmentKind as Labels)[kind] ?? kind} · ${(appointmentStatus as Labels)[status] ?? status}`;
};

/** Period presets, as [label, from, to], both days included (as the API reads them). */
function presets(today: string): [string, string, string][] {
  const year = Number(today.slice(0, 4));
  const month = today.slice(0, 7);
  const lastOfMonth = new Date(`${month}-01T12:00:00Z`);
  lastOfMonth.setUTCMonth(lastOfMonth.getUTCMonth() + 1, 0);
  return [
    ["Cette année", `${year}-01-01`, `${year}-12-31`],
    ["L'année dernière", `${year - 1}-01-01`, `${year - 1}-12-31`],
    ["Ce mois-ci", `${month}-01`, lastOfMonth.toISOString().slice(0, 10)],
  ];
}

async function downloadCsv(from: string, to: string, layout: Layout) {
  // The detailed report month by month; the funders' grid for the period, as they read it.
  const granularity = layout === "standard" ? "month" : "period";
  const call = api.GET("/api/v1/reports/activity", {
    params: { query: { from, to, granularity, layout } },
    headers: { Accept: "text/csv" },
    parseAs: "blob",
  });
  const csv = await ok(call);
  const { response } = await call;
  saveFile(csv, fileName(response, `${layout === "standard" ? "bilan-activite" : "grille-financeurs"}-${from}-${to}.csv`));
}

export function Report() {
  const reference = useReference();
  const choices = presets(parisDay());
  const [from, setFrom] = useState(choices[0]?.[1] ?? "");
  const [to, setTo] = useState(choices[0]?.[2] ?? "");
  const [layout, setLayout] = useState<Layout>("standard");
  const [csvProblem, setCsvProblem] = useState<ApiProblem | null>(null);
  const grid = useLoad(
    ["Report.funders", from, to],
    async (signal) => {
      const answer = await ok(api.GET("/api/v1/reports/activity", { signal, params: { query: { from, to, layout: "funders" } } }));
      return answer as FundersReport;
    },
    { enabled: layout === "funders" },
  );
  const report = useLoad(
    ["Report.report", from, to],
    async (signal) => {
      const [whole, months] = await Promise.all([
        ok(api.GET("/api/v1/reports/activity", { signal, params: { query: { from, to, granularity: "period" } } })),
        ok(api.GET("/api/v1/reports/activity", { signal, params: { query: { from, to, granularity: "month" } } })),
      ]);
      return { whole: whole as ActivityReport, months: months as ActivityReport };
    },
    { enabled: layout === "standard" },
  );

  const figures = layout === "standard" ? report.data?.whole.periods[0]?.figures : undefined;
  const gridFigures = layout === "funders" ? grid.data?.periods[0]?.figures : undefined;
  return (
    <section>
      <PageTitle title="Bilan d'activité">Bilan d'activité</PageTitle>
      <div className="toolbar no-print">
        <div className="presets" role="group" aria-label="Présentation">
          {LAYOUTS.map(([value, label]) => (
            <button key={value} type="button" className="button-secondary" aria-pressed={layout === value} onClick={() => setLayout(value)}>
              {label}
            </button>
          ))}
        </div>
        <div className="presets" role="group" aria-label="Périodes usuelles">
          {choices.map(([label, f, t]) => (
            <button
              key={label}
              type="button"
              className="button-secondary"
              aria-pressed={from === f && to === t}
              onClick={() => {
                setFrom(f);
                setTo(t);
              }}
            >
              {label}
            </button>
          ))}
        </div>
        <Field label="Du">
          {(c) => <input {...c} type="date" value={from} onChange={(e) => e.target.value && setFrom(e.target.value)} />}
        </Field>
        <Field label="Au (inclus)">
          {(c) => <input {...c} type="date" value={to} onChange={(e) => e.target.value && setTo(e.target.value)} />}
        </Field>
        <button
          type="button"
          className="button"
          onClick={() => {
            setCsvProblem(null);
            downloadCsv(from, to, layout).catch((e: unknown) => setCsvProblem(asProblem(e)));
          }}
        >
          Télécharger le tableur (CSV)
        </button>
        <PrintButton />
      </div>
      <ProblemAlert problem={report.problem ?? grid.problem ?? csvProblem} />
      {(report.loading || grid.loading) && <p aria-live="polite">Calcul du bilan…</p>}
      {gridFigures && (
        <>
          <p className="lead">
            Du {formatDate(from)} au {formatDate(to)} inclus, dans les catégories du guide pratique de la Délégation interministérielle à la
            ville (2008).
          </p>
          <FundersGrid figures={gridFigures} />
        </>
      )}
      {figures && report.data && (
        <>
          <p className="lead">
            Du {formatDate(from)} au {formatDate(to)} inclus.
          </p>
          <div className="key-figures">
            <KeyFigure label="Situations suivies" value={countText(figures.situations_met.total)} />
            <KeyFigure label="dont nouvelles" value={countText(figures.situations_met.opened)} />
            <KeyFigure label="Personnes reçues" value={countText(figures.persons_received)} />
            <KeyFigure label="Contacts brefs anonymes" value={countText(figures.brief_contacts_total)} />
            <KeyFigure label="Délai médian de premier contact" value={delayText(figures.first_contact_delay.median_minutes)} />
            <KeyFigure label="Délai de premier contact, 9 saisines sur 10" value={delayText(figures.first_contact_delay.p90_minutes)} />
            <KeyFigure label="Délai médian avant le premier entretien" value={delayText(figures.first_interview_delay.median_minutes)} />
          </div>
          <ReactivityTable origins={figures.reactivity_by_origin} />
          <div className="charts">
            <BarChart
              title="Situations suivies par mois"
              bars={report.data.months.periods.map((p) => ({
                label: new Date(`${p.from}T12:00:00Z`).toLocaleDateString("fr-FR", { month: "long", year: "numeric" }),
                count: p.figures.situations_met.total,
              }))}
            />
            <BarChart title="Saisines par origine" bars={bars(figures.referrals_by_source, source)} />
            <BarChart title="Saisines par suite donnée" bars={bars(figures.referrals_by_outcome, referralStatus)} />
            <BarChart title="Situations par problématique" bars={bars(figures.situations_by_problem_type, reference.problemLabel)} />
            <BarChart title="Interventions par type" bars={bars(figures.interventions_by_kind, interventionKind)} />
            <BarChart title="Orientations par type de partenaire" bars={bars(figures.orientations_by_partner_kind, partnerKind)} />
            <BarChart title="Orientations par suite donnée" bars={bars(figures.orientations_by_outcome, TOOK_OVER)} />
            <BarChart title="Personnes par rôle" bars={bars(figures.persons_by_role, role)} />
            <BarChart title="Personnes par âge au premier contact" bars={bars(figures.persons_by_age_group, AGE)} />
            <BarChart title="Rendez-vous par modalité et issue" bars={bars(figures.appointments_by_kind_and_outcome, appointmentLabel)} />
            <BarChart title="Informations préoccupantes et signalements" bars={bars(figures.legal_reports_by_kind, interventionKind)} />
            <BarChart title="Contacts brefs par canal" bars={bars(figures.brief_contacts_by_channel, contactChannel)} />
            <BarChart title="Contacts brefs par origine" bars={bars(figures.brief_contacts_by_origin, source)} />
          </div>
        </>
      )}
    </section>
  );
}

/** Both delays by origin: the count reached, the median and the slower end (9 in 10). */
function ReactivityTable({ origins }: { origins: OriginReactivity[] }) {
  if (origins.length === 0) return null;
  return (
    <div className="reactivity">
      <table className="table">
        <caption>Réactivité par origine des saisines</caption>
        <thead>
          <tr>
            <th scope="col">Origine</th>
            <th scope="col">Saisines contactées</th>
            <th scope="col">Délai médian de contact</th>
            <th scope="col">Contact, 9 sur 10</th>
            <th scope="col">Saisines suivies d'un entretien</th>
            <th scope="col">Délai médian d'entretien</th>
            <th scope="col">Entretien, 9 sur 10</th>
          </tr>
        </thead>
        <tbody>
          {origins.map((o) => (
            <tr key={o.key}>
              <th scope="row">{source[o.key as keyof typeof source] ?? o.key}</th>
              <td>{countText(o.first_contact.referrals)}</td>
              <td>{delayText(o.first_contact.median_minutes)}</td>
              <td>{delayText(o.first_contact.p90_minutes)}</td>
              <td>{countText(o.first_interview.referrals)}</td>
              <td>{delayText(o.first_interview.median_minutes)}</td>
              <td>{delayText(o.first_interview.p90_minutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const TOOK_OVER: Record<string, string> = { yes: "Prise en charge", no: "Non prise en charge", unknown: "Suite inconnue" };

function KeyFigure({ label, value }: { label: string; value: string }) {
  return (
    <div className="key-figure">
      <span className="key-value">{value}</span>
      <span className="key-label">{label}</span>
    </div>
  );
}
