// Administration of a CCAS, for the `admin` scope: its units, sites and opening hours,
// accounts, API clients, the units' webhook subscriptions and the access log. One page per
// subject under /administration, with its own menu.
import { Link, Route, Switch, useLocation } from "wouter";
import { PageTitle } from "../../components/Layout";
import { NotFound } from "../NotFound";
import { AccessLog } from "./AccessLog";
import { Accounts } from "./Accounts";
import { ApiClients } from "./ApiClients";
import { Sites } from "./Sites";
import { Units } from "./Units";
import { Webhooks } from "./Webhooks";

export const ADMIN_SECTIONS: [string, string][] = [
  ["/administration/unites", "Unités"],
  ["/administration/sites", "Sites et horaires"],
  ["/administration/comptes", "Comptes"],
  ["/administration/clients-api", "Clients API"],
  ["/administration/webhooks", "Webhooks"],
  ["/administration/journal", "Journal des accès"],
];

export function AdminPage() {
  const [location] = useLocation();
  return (
    <section>
      <PageTitle title="Administration">Administration</PageTitle>
      <nav aria-label="Administration" className="sub-nav">
        <ul>
          {ADMIN_SECTIONS.map(([href, label]) => (
            <li key={href}>
              <Link href={href} aria-current={location === href ? "page" : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Switch>
        <Route path="/administration" component={Units} />
        <Route path="/administration/unites" component={Units} />
        <Route path="/administration/sites" component={Sites} />
        <Route path="/administration/comptes" component={Accounts} />
        <Route path="/administration/clients-api" component={ApiClients} />
        <Route path="/administration/webhooks" component={Webhooks} />
        <Route path="/administration/journal" component={AccessLog} />
        <Route component={NotFound} />
      </Switch>
    </section>
  );
}

export const ORG_KIND: Record<string, string> = {
  ccas: "CCAS",
  gendarmerie: "Gendarmerie",
  police_municipale: "Police municipale",
  police_nationale: "Police nationale",
};
