// The API's base URL: `window.RELAIS_CONFIG.apiBaseUrl` from public/config.js, editable after the
// build; empty means the origin that served the client.
declare global {
  interface Window {
    RELAIS_CONFIG?: { apiBaseUrl?: string };
  }
}

export function apiBaseUrl(): string {
  const configured = typeof window === "undefined" ? undefined : window.RELAIS_CONFIG?.apiBaseUrl;
  return (configured ?? "").replace(/\/+$/, "");
}
