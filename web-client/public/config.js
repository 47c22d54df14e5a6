// Runtime settings of the Relais web client, read before the application starts.
// apiBaseUrl: the API's origin, e.g. "https://relais-api.ccas-exemple.fr" (that API must list
// this client's origin in RELAIS_CORS_ORIGINS). Empty: the API serves this client itself.
window.RELAIS_CONFIG = { apiBaseUrl: "" };
