import { kindView } from "./kind.js";

/** A unit: its state in systemd's words, and what the fleet wants of it. */
export const systemdUnitView = kindView("systemd.unit", {
  json: (c) => ({
    before: { load_state: c.before.loadState, active_state: c.before.activeState, sub_state: c.before.subState, unit_file_state: c.before.unitFileState },
    after: { enabled: c.after.enabled, active: c.after.active },
  }),
  text: (c) => ({
    details: [
      ["now", `${c.before.active_state} (${c.before.sub_state}), ${c.before.unit_file_state || "no unit file"}`],
      ["wanted", `${c.after.enabled ? "enabled" : "not enabled"}, ${c.after.active ? "active" : "inactive"}`],
    ],
    after: [],
  }),
});
