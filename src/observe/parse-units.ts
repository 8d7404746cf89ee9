import { UNIT_PROPERTIES } from "../adapters/systemctl.js";

/** A systemd unit as the user manager reports it, in systemd's own words. */
export interface ObservedUnit {
  readonly name: string;
  /** loaded, not-found, bad-setting, masked, ... */
  readonly loadState: string;
  /** active, inactive, failed, activating, deactivating, ... */
  readonly activeState: string;
  /** exited (a oneshot that ran), dead, failed, running, ... */
  readonly subState: string;
  /** enabled, disabled, static, linked, masked, "" for a unit with no file. */
  readonly unitFileState: string;
  /** success, exit-code, timeout, ... */
  readonly result: string;
  /** The unit file changed on disk since the last daemon-reload. */
  readonly needDaemonReload: boolean;
}

type Property = (typeof UNIT_PROPERTIES)[number];

/**
 * `systemctl --user show -p UNIT_PROPERTIES UNIT...` output to units, keyed
 * by each block's Id (blocks come in the order asked, properties within a
 * block in systemd's order). A block without an Id or a LoadState is
 * skipped: better a unit reported missing than a guess.
 */
export function parseUnits(output: string): ObservedUnit[] {
  const units: ObservedUnit[] = [];
  for (const block of output.split(/\n\s*\n/)) {
    const props = new Map<string, string>();
    for (const line of block.split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) props.set(line.slice(0, eq), line.slice(eq + 1));
    }
    const get = (p: Property) => props.get(p) ?? "";
    if (get("Id") === "" || get("LoadState") === "") continue;
    units.push({
      name: get("Id"),
      loadState: get("LoadState"),
      activeState: get("ActiveState"),
      subState: get("SubState"),
      unitFileState: get("UnitFileState"),
      result: get("Result"),
      needDaemonReload: get("NeedDaemonReload") === "yes",
    });
  }
  return units;
}
