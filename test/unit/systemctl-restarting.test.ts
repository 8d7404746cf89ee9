import { describe, expect, it } from "vitest";
import { isManagerRestarting, isNoManager } from "../../src/adapters/systemctl.js";

/** systemctl's words, as measured with `daemon-reexec` back to back against its calls (test/integration/faults-systemd.test.ts). */
describe("a user manager restarting under a call", () => {
  it("is told apart from no manager at all, so a restart is asked again and never taken for a host without systemd", () => {
    for (const said of [
      "Failed to list units: Transport endpoint is not connected",
      "Failed to list units: Connection reset by peer",
      "Failed to get properties: Message recipient disconnected from message bus without replying",
    ]) {
      expect(isManagerRestarting(said), said).toBe(true);
      expect(isNoManager(said), said).toBe(false);
    }
    for (const said of ["Failed to connect to bus: No such file or directory", "Failed to connect to bus: No medium found"]) {
      expect(isManagerRestarting(said), said).toBe(false);
      expect(isNoManager(said), said).toBe(true);
    }
  });
});
