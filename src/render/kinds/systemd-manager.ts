import { kindView } from "./kind.js";

/** The user manager: daemon-reload has no state of its own to show; its reason says why. */
export const systemdManagerView = kindView("systemd.manager", {
  json: () => ({ before: null, after: null }),
  text: () => ({ details: [], after: [] }),
});
