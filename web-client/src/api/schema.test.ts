// @vitest-environment node
// The client's API types are generated from openapi/openapi.json: this fails when the contract
// changed and `npm run types` was not run, so that the build checks the client against it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test } from "vitest";

test("the generated API types match the checked-in OpenAPI document", () => {
  const root = resolve(import.meta.dirname, "../..");
  const out = join(mkdtempSync(join(tmpdir(), "relais-types-")), "schema.d.ts");
  execFileSync(join(root, "node_modules/.bin/openapi-typescript"), [resolve(root, "../openapi/openapi.json"), "-o", out], {
    stdio: "ignore",
  });
  const fresh = readFileSync(out, "utf8");
  const checkedIn = readFileSync(join(root, "src/api/schema.d.ts"), "utf8");
  expect(checkedIn === fresh, "src/api/schema.d.ts is stale: run `npm run types` in web-client/").toBe(true);
});
