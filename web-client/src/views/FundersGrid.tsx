// The funders' grid: the year in the categories of the 2008 guide of the Délégation
// interministérielle à la ville (publics, origins, actions), as funders and posts ask for it.
// The categories keep the guide's order: a funder compares one year's table with the last.
import type { Count, FundersFigures, OriginReactivity } from "../api/types";
import { BarChart, countText, type Bar } from "../components/BarChart";
import { delayText } from "../time";

/** The guide's words, in the guide's order. */
export const PUBLICS = {
  victims: "Victimes",
  at_risk_of_victimisation: "Personnes en voie de victimisation",
  minors_at_risk: "Mineurs en danger",
  conjugal_conflicts: "Conflits conjugaux",
  family_conflicts: "Conflits familiaux",
  neighbour_conflicts: "Conflits de voisinage",
  social_distress: "Personnes en détresse ou en difficulté sociale",
  evictions_and_housing_breakdown: "Expulsions locatives et ruptures d'hébergement",
  involved: "Impliqués",
  alleged_authors_and_family: "Mis en cause et leur famille",
} as const;
export const GUIDE_ORIGINS = {
  police_gendarmerie: "Services de police ou de gendarmerie",
  other_services: "Autres services",
  spontaneous: "Démarche spontanée",
} as const;
const ACTIONS = {
  reception: "Accueil",
  listening: "Écoute",
  action: "Action",
  orientation: "Orientation",
  liaison: "Facilitation du lien",
};
const SEXES = { female: "Femmes", male: "Hommes", other: "Autre", unknown: "Non renseigné" };
const AGES = { minor: "Mineurs", adult: "Majeurs", unknown: "Âge non renseigné" };

/** One bar per category of `labels`, in its order (zeros included: the grid is fixed). */
function fixedBars<K extends string>(counts: Record<K, Count>, labels: Record<K, string>): Bar[] {
  return (Object.keys(labels) as K[]).map((key) => ({ label: labels[key], count: counts[key] }));
}

export function FundersGrid({ figures }: { figures: FundersFigures }) {
  return (
    <>
      <div className="key-figures">
        <KeyFigure label="Personnes reçues" count={figures.persons_received} />
        <KeyFigure label="Situations rencontrées" count={figures.situations_met} />
        <KeyFigure label="Saisines reçues" count={figures.referrals_received} />
        <KeyFigure label="Actions" count={figures.actions_total} />
        <KeyFigure label="Contacts brefs anonymes" count={figures.brief_contacts_total} />
      </div>
      <div className="charts">
        <BarChart title="Personnes reçues par public" bars={fixedBars(figures.persons_by_public, PUBLICS)} />
        <BarChart title="Situations par public" bars={fixedBars(figures.situations_by_public, PUBLICS)} />
        <BarChart title="Personnes reçues par sexe" bars={fixedBars(figures.persons_by_sex, SEXES)} />
        <BarChart title="Personnes reçues, mineures ou majeures" bars={fixedBars(figures.persons_by_age, AGES)} />
        <BarChart
          title="Personnes reçues par commune"
          bars={figures.persons_by_commune.map((c) => ({ label: c.commune ?? "Commune non renseignée", count: c.count }))}
        />
        <BarChart title="Saisines par origine" bars={fixedBars(figures.referrals_by_origin, GUIDE_ORIGINS)} />
        <BarChart
          title="Saisines des services de police et de gendarmerie, par unité"
          bars={figures.referrals_by_unit.map((u) => ({ label: u.name ?? "Démarches proactives", count: u.count }))}
        />
        <BarChart title="Actions par type" bars={fixedBars(figures.actions_by_kind, ACTIONS)} />
        <BarChart title="Contacts brefs par origine" bars={fixedBars(figures.brief_contacts_by_origin, GUIDE_ORIGINS)} />
      </div>
      <GuideReactivity origins={figures.reactivity_by_origin} />
      <Definitions />
    </>
  );
}

function KeyFigure({ label, count }: { label: string; count: Count }) {
  return (
    <div className="key-figure">
      <span className="key-value">{countText(count)}</span>
      <span className="key-label">{label}</span>
    </div>
  );
}

function GuideReactivity({ origins }: { origins: OriginReactivity[] }) {
  return (
    <div className="reactivity">
      <table className="table">
        <caption>Réactivité par origine</caption>
        <thead>
          <tr>
            <th scope="col">Origine</th>
            <th scope="col">Saisines contactées</th>
            <th scope="col">Délai médian de contact</th>
            <th scope="col">Saisines suivies d'un entretien</th>
            <th scope="col">Délai médian d'entretien</th>
          </tr>
        </thead>
        <tbody>
          {origins.map((o) => (
            <tr key={o.key}>
              <th scope="row">{GUIDE_ORIGINS[o.key as keyof typeof GUIDE_ORIGINS] ?? o.key}</th>
              <td>{countText(o.first_contact.referrals)}</td>
              <td>{delayText(o.first_contact.median_minutes)}</td>
              <td>{countText(o.first_interview.referrals)}</td>
              <td>{delayText(o.first_interview.median_minutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How Relais fills each category: what a funder asks when a figure surprises them. */
function Definitions() {
  return (
    <details className="definitions">
      <summary>Comment les catégories sont établies</summary>
      <p>Chaque personne, et chaque situation, compte dans un seul public : le premier de cette liste dont elle remplit la définition.</p>
      <ol>
        <li>Mineurs en danger : situation de mineur en danger ou de fugue ; enfant mineur exposé à des violences conjugales.</li>
        <li>Victimes : personne enregistrée comme victime.</li>
        <li>Mis en cause et leur famille : personne enregistrée comme auteur présumé.</li>
        <li>Personnes en voie de victimisation : personne vulnérable, harcèlement.</li>
        <li>Conflits conjugaux : séparation conflictuelle, violences conjugales.</li>
        <li>Conflits familiaux.</li>
        <li>Conflits de voisinage.</li>
        <li>Expulsions locatives et ruptures d'hébergement : précarité, logement.</li>
        <li>Personnes en détresse ou en difficulté sociale : souffrance psychique, addiction.</li>
        <li>Impliqués : toutes les autres personnes.</li>
      </ol>
      <p>
        Accueil : rendez-vous honorés. Écoute : premiers accueils et suivis téléphoniques. Action : conseils, accompagnements, aides
        administratives, informations préoccupantes et signalements. Orientation : orientations vers un partenaire. Facilitation du lien :
        médiations. Les contacts brefs anonymes sont comptés à part.
      </p>
    </details>
  );
}
