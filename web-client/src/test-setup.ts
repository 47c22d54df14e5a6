// Each component test starts from an empty session and real timers.
import { afterEach, vi } from "vitest";
import { cleanup } from "@testing-library/react";

// React's act() checks, as in any React test environment.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  cleanup();
  if (typeof sessionStorage !== "undefined") sessionStorage.clear();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});
