import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// Component tests: jsdom, one file per component or module, next to it.
export default defineConfig({
  plugins: [react()],
  test: { environment: "jsdom", include: ["src/**/*.test.{ts,tsx}"], setupFiles: ["src/test-setup.ts"] },
});
