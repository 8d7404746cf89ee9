import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { mosaic } from "../helpers/cli.js";
import { sealOf } from "../../src/plan/saved-plan.js";
import { useFleetWorld, type FleetWorld } from "../helpers/fleet-env.js";

/**
 * `fleet plan --out FILE`, `fleet show FILE` and `fleet apply FILE`: a plan
 * reviewed before a release is applied later exactly as reviewed, or
 * refused, naming what changed since, with nothing changed.
 */
describe("saved plans", () => {
  const world = useFleetWorld();

  const save = async (w: FleetWorld, file: string) => {
    const r = await w.mosaic(["fleet", "plan", "--out", file]);
    expect(r.exitCode, r.stderr).toBe(0);
    return r;
  };
  /** `doc` sealed again with the world's own plan key: an edit made by someone who has the key, as the user does. */
  const resealed = (w: FleetWorld, doc: Record<string, unknown>) => {
    const key = Buffer.from(readFileSync(join(w.home.path, ".local", "state", "mosaic", "plan-key"), "utf8").trim(), "hex");
    return JSON.stringify({ ...doc, seal: sealOf(doc, key) });
  };
  const refused = async (w: FleetWorld, file: string, ...why: string[]) => {
    const before = await w.panes();
    const r = await w.mosaic(["fleet", "apply", file]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("error: the saved plan no longer matches; nothing was changed. Changed since it was made:");
    for (const line of why) expect(r.stderr).toContain(`- ${line}`);
    expect(await w.panes()).toEqual(before);
    return r;
  };

  it("is written whole and private, shown as planned, applied without a prompt, and refused the second time", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    const file = join(w.home.path, "release.plan");
    const planned = await save(w, file);
    expect(planned.stdout).toContain("Plan: 3 to add, 0 to change, 0 to destroy.");
    expect(planned.stdout).toContain(`Saved the plan to ${file}.`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await w.sessionNames()).toEqual([]);

    const shown = await w.mosaic(["fleet", "show", file]);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toMatch(/^Saved plan: made \S+ by mosaic \S+ from the roster .*roster\.yaml, socket "t/);
    expect(shown.stdout).toContain(planned.stdout.slice(0, planned.stdout.indexOf("\n\nSaved the plan")));
    const json = JSON.parse((await w.mosaic(["fleet", "show", file, "--json"])).stdout);
    expect(json.summary).toMatchObject({ add: 3, change: 0, destroy: 0 });
    expect(json.saved).toMatchObject({ format_version: "mosaic-saved-plan/3", roster: { path: w.rosterPath }, backend_choice: "auto" });
    expect(json.saved.observed_fingerprint).toBe(json.observed_fingerprint);

    // No terminal and no --auto-approve: a saved plan was reviewed when it was made.
    const applied = await w.mosaic(["fleet", "apply", file]);
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Apply complete! Resources: 3 added, 0 changed, 0 destroyed.");
    expect(await w.sessionNames()).toEqual(["_holder", "alpha", "beta"]);

    // Applied once, it is spent: not even after a stop that brings the socket back to what it was made against.
    const again = await w.mosaic(["fleet", "apply", file]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("the saved plan was applied already");
    await w.ok(["fleet", "stop"]);
    const afterStop = await w.mosaic(["fleet", "apply", file]);
    expect(afterStop.exitCode).toBe(1);
    expect(afterStop.stderr).toContain("a saved plan applies once; nothing was changed");
    expect(await w.sessionNames()).toEqual([]);
    expect((await w.mosaic(["fleet", "show", file])).stdout).toContain("Applied already");
  });

  it("made against an empty socket, is refused once sessions are there", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    const file = join(w.home.path, "release.plan");
    await save(w, file);
    await w.ok(["fleet", "apply", "--auto-approve"]);
    await refused(w, file, `the tmux server on socket "${w.socket}" was started`, 'session "alpha" appeared', 'session "_holder" appeared');
  });

  it("applies when nothing changed since, even on a running fleet", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    await w.ok(["fleet", "apply", "--auto-approve"]);
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    const file = join(w.home.path, "more.plan");
    await save(w, file);
    const alpha = (await w.panes()).alpha;
    await w.ok(["fleet", "apply", file]);
    expect(await w.sessionNames()).toEqual(["_holder", "alpha", "beta"]);
    expect((await w.panes()).alpha).toBe(alpha);
  });

  it("is refused after a roster edit", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    const file = join(w.home.path, "p.plan");
    await save(w, file);
    w.writeRoster([{ name: "alpha" }, { name: "gamma" }]);
    await refused(w, file, `the roster: ${w.rosterPath} was edited since the plan was made`);
    expect(await w.sessionNames()).toEqual([]);
  });

  it("is refused after a session was killed behind its back, or added by another apply", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    await w.ok(["fleet", "apply", "--auto-approve"]);
    w.writeRoster([{ name: "alpha" }, { name: "beta", args: ["2000"] }]);
    const file = join(w.home.path, "replace.plan");
    await save(w, file);
    await w.tmux(["kill-session", "-t", "=alpha"]);
    await refused(w, file, 'session "alpha" is gone');

    const again = join(w.home.path, "again.plan");
    await w.ok(["fleet", "apply", "--auto-approve"]);
    await save(w, again);
    // Another roster applied on the same socket in between.
    const other = join(w.home.path, "other.yaml");
    writeFileSync(other, JSON.stringify({ ...JSON.parse(readFileSync(w.rosterPath, "utf8")), agents: [{ name: "delta" }] }));
    expect((await mosaic(["fleet", "apply", "--auto-approve", "--roster", other], w.env)).exitCode).toBe(0);
    await refused(w, again, 'session "delta" appeared');
  });

  it("is refused after an installed file was edited", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    await w.ok(["fleet", "install-systemd"]);
    const file = join(w.home.path, "p.plan");
    await save(w, file);
    const unit = join(w.home.path, "config", "systemd", "user", "mosaic-tmux-holder.service");
    writeFileSync(unit, `${readFileSync(unit, "utf8")}# edited\n`);
    await refused(w, file, `file ${JSON.stringify(unit)} changed`);
  });

  it("refuses files that are not a saved plan this mosaic can apply, and options that would change it", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    const file = join(w.home.path, "p.plan");
    await save(w, file);
    const doc = JSON.parse(readFileSync(file, "utf8"));
    const variant = (name: string, text: string) => {
      const path = join(w.home.path, name);
      writeFileSync(path, text);
      return path;
    };
    const cases: [string, string][] = [
      [variant("future.plan", JSON.stringify({ ...doc, format_version: "mosaic-saved-plan/9\u001b[2J" })), 'it has format_version "mosaic-saved-plan/9\\e[2J"; this mosaic reads "mosaic-saved-plan/3" only'],
      [variant("edited.plan", JSON.stringify({ ...doc, plan: { ...doc.plan, socket: "scratch-test" } })), "it was edited since mosaic saved it"],
      [variant("older.plan", resealed(w, { ...doc, mosaic_version: "0.0.1" })), "it was made by mosaic 0.0.1, and this is mosaic"],
      [variant("garbage.plan", "\u0000\u0001binary"), "it is not JSON"],
      [variant("damaged.plan", resealed(w, { ...doc, plan: { ...doc.plan, observedFingerprint: "sha256:0" } })), "it is damaged or was edited"],
      [join(w.home.path, "missing.plan"), "no saved plan at"],
    ];
    mkdirSync(join(w.home.path, "dir.plan"));
    cases.push([join(w.home.path, "dir.plan"), "is a directory, not a saved plan"]);
    for (const [path, message] of cases) {
      for (const command of [["fleet", "apply", path], ["fleet", "show", path]]) {
        const r = await w.mosaic(command);
        expect(r.exitCode, `${command.join(" ")}`).toBe(1);
        expect(r.stderr).toContain(message);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    }
    const withOptions = await w.mosaic(["fleet", "apply", file, "--force-replace", "alpha"]);
    expect(withOptions.exitCode).toBe(1);
    expect(withOptions.stderr).toContain("--force-replace cannot be used with a saved plan");
    expect(await w.sessionNames()).toEqual([]);
  });

  it("a plan with errors is not saved", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha", cwd: join(w.home.path, "no-such-folder") }]);
    const file = join(w.home.path, "p.plan");
    const r = await w.mosaic(["fleet", "plan", "--out", file]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`it was not saved to ${file}`);
    expect(() => statSync(file)).toThrow();
  });

  it("is refused when its actions were edited: apply checks them against the plan the roster gives now", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    await w.ok(["fleet", "apply", "--auto-approve"]);
    expect((await w.tmux(["new-session", "-d", "-s", "mine", "--", "sleep", "100000"])).exitCode).toBe(0);
    w.writeRoster([{ name: "alpha", args: ["2000"] }]);
    const file = join(w.home.path, "p.plan");
    await save(w, file);
    const doc = JSON.parse(readFileSync(file, "utf8"));
    const canary = join(w.home.path, "ran");
    const edits: [string, (d: typeof doc) => void][] = [
      ["a command the roster does not give", (d) => {
        const c = d.plan.changes.find((x: { name: string }) => x.name === "alpha");
        c.after.argv = ["sh", "-c", `touch ${canary}; sleep 1000`];
        for (const step of c.steps) if (step.after) step.after.argv = c.after.argv;
      }],
      ["a session the fleet did not make", (d) => {
        const c = d.plan.changes.find((x: { name: string }) => x.name === "beta");
        c.name = "mine";
        c.address = 'tmux.session["mine"]';
        for (const step of c.steps) if (step.session) step.session = "mine";
      }],
    ];
    for (const [what, edit] of edits) {
      const edited = JSON.parse(JSON.stringify(doc));
      edit(edited);
      const path = join(w.home.path, `edited-${edits.findIndex(([x]) => x === what)}.plan`);
      // Sealed again, as only someone with the user's key could: the re-plan still refuses it.
      writeFileSync(path, resealed(w, edited));
      const before = await w.panes();
      const r = await w.mosaic(["fleet", "apply", path]);
      expect(r.exitCode, what).toBe(1);
      expect(r.stderr, what).toContain("what it says (its socket, backend, actions) is not what the roster gives this fleet now; nothing was changed");
      expect(await w.panes(), what).toEqual(before);
    }
    expect(existsSync(canary)).toBe(false);
    // The file as made still applies.
    await w.ok(["fleet", "apply", file]);
    expect(await w.sessionNames()).toEqual(["_holder", "alpha", "mine"]);
  });

  it("is refused while the plan the roster gives now has errors, such as a label set for every session", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    await w.ok(["fleet", "apply", "--auto-approve"]);
    w.writeRoster([{ name: "alpha" }]);
    const file = join(w.home.path, "p.plan");
    await save(w, file);
    expect((await w.tmux(["set-option", "-g", "@mosaic", "v2 managed=1"])).exitCode).toBe(0);
    const r = await w.mosaic(["fleet", "apply", file]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("the label option @mosaic is set for every session at once");
    expect(await w.sessionNames()).toEqual(["_holder", "alpha", "beta"]);
  });

  it("--out writes only a new file or a plan it saved before: never the roster, another file, a folder or a FIFO", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    const roster = readFileSync(w.rosterPath, "utf8");
    const notes = join(w.home.path, "notes.txt");
    writeFileSync(notes, "mine\n");
    const fifo = join(w.home.path, "fifo");
    expect((await execa("mkfifo", [fifo])).exitCode).toBe(0);
    mkdirSync(join(w.home.path, "folder"));
    const cases: [string, string][] = [
      [w.rosterPath, "is not a plan mosaic saved; it is never overwritten"],
      [notes, "is not a plan mosaic saved; it is never overwritten"],
      [join(w.home.path, "folder"), "is a directory"],
      [fifo, "is not a regular file"],
      [join(w.home.path, "no", "such", "p.plan"), "no folder"],
    ];
    for (const [path, message] of cases) {
      const r = await w.mosaic(["fleet", "plan", "--out", path]);
      expect(r.exitCode, path).toBe(1);
      expect(r.stderr, path).toContain(message);
    }
    expect(readFileSync(w.rosterPath, "utf8")).toBe(roster);
    expect(readFileSync(notes, "utf8")).toBe("mine\n");
    expect(statSync(fifo).isFIFO()).toBe(true);
    const file = join(w.home.path, "p.plan");
    await save(w, file);
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    await save(w, file);
    expect(JSON.parse(readFileSync(file, "utf8")).plan.changes.map((c: { name: string }) => c.name)).toContain("beta");
  });

  it("keeps its key and its record of applied plans only in a folder of yours that no one else may write, and trusts a key only you can read", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    const file = join(w.home.path, "p.plan");
    // A state folder another user could have made for you, open to everyone: no key is written into it.
    const open = join(w.home.path, "open-state");
    mkdirSync(join(open, "mosaic"), { recursive: true });
    chmodSync(join(open, "mosaic"), 0o777);
    const inOpen = await w.mosaic(["fleet", "plan", "--out", file], { env: { XDG_STATE_HOME: open } });
    expect(inOpen.exitCode).toBe(1);
    expect(inOpen.stderr).toContain(`error: ${join(open, "mosaic")} is not a folder of yours that only you may write`);
    expect(existsSync(join(open, "mosaic", "plan-key"))).toBe(false);
    expect(existsSync(file)).toBe(false);

    // A key others may read seals nothing they could not forge: a plan sealed with it is neither shown nor applied.
    await save(w, file);
    const key = join(w.home.path, ".local", "state", "mosaic", "plan-key");
    chmodSync(key, 0o644);
    for (const command of [["fleet", "show", file], ["fleet", "apply", file], ["fleet", "plan", "--out", join(w.home.path, "q.plan")]]) {
      const r = await w.mosaic(command);
      expect(r.exitCode, command.join(" ")).toBe(1);
      expect(r.stderr, command.join(" ")).toContain(`error: ${key}: others may read or write it`);
    }
    // Owned by another user (root making it nobody's here), even with mode 0600.
    chmodSync(key, 0o600);
    await execa("chown", ["nobody", key]);
    const theirs = await w.mosaic(["fleet", "show", file]);
    expect(theirs.exitCode).toBe(1);
    expect(theirs.stderr).toContain(`error: ${key}: belongs to another user`);
    expect(await w.sessionNames()).toEqual([]);
  });

  it("--out - is refused before anything is planned: a plan file is never standard output", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    const r = await w.mosaic(["fleet", "plan", "--out", "-"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("error: --out -: a saved plan goes to a file of its own");
  });
});
