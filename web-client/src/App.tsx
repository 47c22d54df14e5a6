// Which views each audience gets. Agencies get the referral form and their referrals' statuses,
// and nothing else: any other address is "page not found" (the API refuses them anyway).
import { Route, Switch } from "wouter";
import { Layout } from "./components/Layout";
import { ReferenceProvider } from "./reference";
import { isAdmin, useSession } from "./session";
import { LoginPage, SessionExpiredDialog } from "./views/Login";
import { NotFound } from "./views/NotFound";
import { Today } from "./views/Today";
import { Inbox } from "./views/Inbox";
import { ReferralTriage } from "./views/ReferralTriage";
import { Situations } from "./views/Situations";
import { SituationFile } from "./views/situation/SituationFile";
import { Agenda } from "./views/Agenda";
import { Partners } from "./views/Partners";
import { Report } from "./views/Report";
import { ReferralForm } from "./views/agency/ReferralForm";
import { MyReferrals } from "./views/agency/MyReferrals";
import { AdminPage } from "./views/admin/AdminPage";

/** The administration pages, for accounts holding `admin`. */
function adminRoutes() {
  return [
    <Route key="admin" path="/administration" component={AdminPage} />,
    <Route key="admin-section" path="/administration/:section" component={AdminPage} />,
  ];
}

function AdminRoutes() {
  return (
    <Switch>
      <Route path="/" component={AdminPage} />
      {adminRoutes()}
      <Route component={NotFound} />
    </Switch>
  );
}

function CcasRoutes({ admin }: { admin: boolean }) {
  return (
    <Switch>
      {admin && adminRoutes()}
      <Route path="/" component={Today} />
      <Route path="/saisines" component={Inbox} />
      <Route path="/saisines/nouvelle" component={ReferralForm} />
      <Route path="/saisines/:id">{(params) => <ReferralTriage id={params.id} />}</Route>
      <Route path="/situations" component={Situations} />
      <Route path="/situations/:id">{(params) => <SituationFile key={params.id} id={params.id} />}</Route>
      <Route path="/agenda" component={Agenda} />
      <Route path="/partenaires" component={Partners} />
      <Route path="/bilan" component={Report} />
      <Route component={NotFound} />
    </Switch>
  );
}

function AgencyRoutes() {
  return (
    <Switch>
      <Route path="/" component={MyReferrals} />
      <Route path="/saisir" component={ReferralForm} />
      <Route component={NotFound} />
    </Switch>
  );
}

export function App() {
  const session = useSession();
  if (!session.token) return <LoginPage />;
  if (session.audience === "none") {
    return (
      <Layout>
        <h1>Accès non prévu</h1>
        <p>Ce compte n'a pas accès à cette application. Les outils de bilan passent par l'API.</p>
      </Layout>
    );
  }
  return (
    // Keyed by the account: another person signing in on this tab starts from a clean slate.
    <ReferenceProvider key={`${session.login}/${session.claims?.org}`} audience={session.audience}>
      <Layout>
        {session.audience === "ccas" ? (
          <CcasRoutes admin={isAdmin(session)} />
        ) : session.audience === "admin" ? (
          <AdminRoutes />
        ) : (
          <AgencyRoutes />
        )}
      </Layout>
      {session.expired && <SessionExpiredDialog />}
    </ReferenceProvider>
  );
}
