// Starts the real API binary on a fresh SQLite database, serving the built client, and
// provisions what the scenarios start from: one CCAS with a site open Monday to Saturday, a
// coordinator, a gendarmerie brigade with a gendarme, one partner. Nothing else.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { PASSWORD } from "./browser";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    ccasId: string;
    /** The same client hosted on another origin, its config.js pointing at the API. */
    elsewhereUrl: string;
  }
}

const root = resolve(import.meta.dirname, "../..");
const binary = process.env.RELAIS_BIN ?? join(root, "target/debug/relais");
const dist = resolve(import.meta.dirname, "../dist");

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

async function waitReady(base: string, server: ChildProcess) {
  for (let i = 0; i < 200; i++) {
    if (server.exitCode !== null) throw new Error(`relais exited with ${server.exitCode}`);
    try {
      const response = await fetch(`${base}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("relais did not become ready");
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

/** A plain static host for the built client, as a CCAS's web server would be. */
function hostElsewhere(port: number, apiBase: string): Promise<Server> {
  const server = createHttpServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    if (path === "/config.js") {
      response.writeHead(200, { "Content-Type": "text/javascript" });
      response.end(`window.RELAIS_CONFIG = { apiBaseUrl: ${JSON.stringify(apiBase)} };`);
      return;
    }
    const asset = /^\/assets\/[\w.-]+$/.test(path) ? join(dist, path) : join(dist, "index.html");
    const extension = asset.slice(asset.lastIndexOf("."));
    response.writeHead(200, { "Content-Type": TYPES[extension] ?? "application/octet-stream" });
    response.end(readFileSync(asset));
  });
  return new Promise((done) => server.listen(port, "127.0.0.1", () => done(server)));
}

export default async function setup(project: TestProject) {
  if (!existsSync(binary)) throw new Error(`no API binary at ${binary}: run \`cargo build -p relais-api\` first`);
  if (!existsSync(join(dist, "index.html"))) throw new Error("no built client: run `npm run build` first");
  const dir = mkdtempSync(join(tmpdir(), "relais-e2e-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const elsewhere = `http://127.0.0.1:${await freePort()}`;
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${join(dir, "relais.db")}`,
    RELAIS_JWT_KEY_FILE: join(dir, "jwt.pem"),
    RELAIS_BIND: `127.0.0.1:${port}`,
    RELAIS_WEB_DIR: dist,
    RELAIS_WORKERS: "2",
    RELAIS_CORS_ORIGINS: elsewhere,
    RUST_LOG: "warn",
  };
  const cli = (args: string[], input?: string) => execFileSync(binary, args, { env, input, encoding: "utf8" }).trim();

  cli(["key", "generate", "--out", env.RELAIS_JWT_KEY_FILE]);
  const ccas = cli(["org", "create", "--kind", "ccas", "--name", "CCAS de Saint-Herblain"]);
  const brigade = cli(["org", "create", "--kind", "gendarmerie", "--name", "Brigade de Saint-Herblain", "--ccas", ccas]);
  const coordinator = cli(
    ["user", "create", "--org", ccas, "--login", "claire.martin", "--name", "Claire Martin", "--password-stdin"],
    PASSWORD,
  );
  cli(["user", "create", "--org", brigade, "--login", "gnd.leroy", "--name", "Gendarme Leroy", "--password-stdin"], PASSWORD);
  cli(["user", "create", "--org", ccas, "--login", "nadia.admin", "--name", "Nadia Benali", "--password-stdin", "--admin"], PASSWORD);

  const server = spawn(binary, ["serve"], { env, stdio: ["ignore", "ignore", "inherit"] });
  await waitReady(base, server);

  const call = async (path: string, scope: string, body: unknown) => {
    const token = cli(["token", "--org", ccas, "--sub", coordinator, "--scope", scope]);
    const response = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  const days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
  await call("/api/v1/sites", "admin", {
    name: "Brigade de Saint-Herblain — bureau de la coordinatrice",
    commune: "Saint-Herblain",
    opening_hours: days.map((weekday) => ({ weekday, opens: "09:00", closes: "17:00" })),
  });
  await call("/api/v1/partners", "ccas", {
    name: "France Victimes 44",
    kind: "victim_support",
    themes: ["domestic_violence"],
    publics: ["victims"],
    commune: "Nantes",
    phone: "02 40 00 00 00",
  });

  const host = await hostElsewhere(Number(new URL(elsewhere).port), base);

  project.provide("baseUrl", base);
  project.provide("ccasId", ccas);
  project.provide("elsewhereUrl", elsewhere);
  return () => {
    host.close();
    server.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  };
}
