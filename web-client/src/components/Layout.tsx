// The frame of every page once signed in: skip link, header with the audience's menu, main.
import { useEffect, useRef, type ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { $api } from "../api/query";
import { isAdmin, useSession } from "../session";

/** How often the menu's count of new referrals is read again, while the page is visible. */
const INBOX_REFRESH_MS = 60_000;

/** The referrals received and not yet triaged, read in the background; `200+` beyond a page. */
function useNewReferrals(enabled: boolean): string | null {
  const inbox = $api.useQuery(
    "get",
    "/api/v1/referrals",
    { params: { query: { status: "received", limit: 200 } } },
    { enabled, refetchInterval: INBOX_REFRESH_MS },
  );
  if (!inbox.data || inbox.data.items.length === 0) return null;
  return `${inbox.data.items.length}${inbox.data.next_cursor ? "+" : ""}`;
}

const CCAS_MENU: [string, string][] = [
  ["/", "Aujourd'hui"],
  ["/saisines", "Saisines"],
  ["/situations", "Situations"],
  ["/agenda", "Agenda"],
  ["/partenaires", "Partenaires"],
  ["/bilan", "Bilan d'activité"],
];

const AGENCY_MENU: [string, string][] = [
  ["/", "Mes saisines"],
  ["/saisir", "Nouvelle saisine"],
];

function isCurrent(location: string, href: string): boolean {
  return href === "/" ? location === "/" : location === href || location.startsWith(`${href}/`);
}

export function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  // Each account sees what it may use: the coordinators' work, a unit's referrals, and the
  // administration for the accounts holding `admin`.
  const base = session.audience === "ccas" ? CCAS_MENU : session.audience === "admin" ? [] : AGENCY_MENU;
  const menu: [string, string][] = isAdmin(session) ? [...base, ["/administration", "Administration"]] : base;
  const fresh = useNewReferrals(session.audience === "ccas" && !session.expired);

  // After a navigation, focus goes to the new page's content, as it would on a full page load.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location]);

  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header className="site-header">
        <div className="brand">
          <span className="brand-name">Relais</span>
          <span className="brand-tagline">
            {session.audience === "agency" ? "Orientation vers la coordination sociale" : "Coordination sociale"}
          </span>
        </div>
        <nav aria-label="Menu principal">
          <ul>
            {menu.map(([href, label]) => (
              <li key={href}>
                <Link href={href} aria-current={isCurrent(location, href) ? "page" : undefined}>
                  {label}
                  {href === "/saisines" && fresh && (
                    <>
                      <span className="badge badge-menu" aria-hidden="true">
                        {fresh}
                      </span>
                      <span className="visually-hidden">
                        {" "}
                        ({fresh} {fresh === "1" ? "nouvelle" : "nouvelles"})
                      </span>
                    </>
                  )}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <span>{session.login}</span>
          <button type="button" className="button-link" onClick={session.signOut}>
            Se déconnecter
          </button>
        </div>
      </header>
      <main id="contenu" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** A page's title: the `<h1>` and the document's title. */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  useEffect(() => {
    document.title = `${title} — Relais`;
  }, [title]);
  return <h1>{children}</h1>;
}
