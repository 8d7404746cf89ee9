import { describe, expect, it } from "vitest";
import { parseLingering, type Lingering, type LoginctlOutput } from "../../src/adapters/loginctl.js";

// What systemd 252's `loginctl show-user USER -p Linger --value` prints (see src/adapters/loginctl.ts).
const cases: [string, LoginctlOutput, Lingering][] = [
  ["lingering", { exitCode: 0, stdout: "yes\n", stderr: "" }, { state: "yes" }],
  ["logged in, not lingering", { exitCode: 0, stdout: "no\n", stderr: "" }, { state: "no" }],
  ["neither logged in nor lingering: logind's own no", { exitCode: 1, stdout: "", stderr: "Failed to get user: User ID 1000 is not logged in or lingering\n" }, { state: "no" }],
  [
    "a host not booted with systemd",
    { exitCode: 1, stdout: "", stderr: "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n" },
    { state: "unknown", why: "System has not been booted with systemd as init system (PID 1). Can't operate. Failed to connect to bus: Host is down" },
  ],
  ["no system bus", { exitCode: 1, stdout: "", stderr: "Failed to connect to bus: No such file or directory\n" }, { state: "unknown", why: "Failed to connect to bus: No such file or directory" }],
  ["an unknown user (loginctl 252's wording; not reachable here, the bus fails first)", { exitCode: 1, stdout: "", stderr: "Failed to look up user nosuch: No such process\n" }, { state: "unknown", why: "Failed to look up user nosuch: No such process" }],
  ["a failure that says nothing", { exitCode: 3, stdout: "", stderr: "" }, { state: "unknown", why: "loginctl exited 3" }],
  ["a systemd without the property", { exitCode: 0, stdout: "", stderr: "" }, { state: "unknown", why: "loginctl printed no Linger value" }],
  ["a value that is neither yes nor no", { exitCode: 0, stdout: "maybe\n", stderr: "" }, { state: "unknown", why: 'loginctl printed "maybe" for Linger' }],
];

describe("parseLingering", () => {
  it.each(cases)("%s", (_what, out, expected) => {
    expect(parseLingering(out)).toEqual(expected);
  });
});
