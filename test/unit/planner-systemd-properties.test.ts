import { describe, expect, it } from "vitest";
import { executionOrder } from "../../src/apply/order.js";
import type { ObservedFleet } from "../../src/observe/types.js";
import { launchFileName, ofThisFleet } from "../../src/plan/launch-files.js";
import { plan } from "../../src/plan/plan.js";
import { isApplied } from "../../src/plan/predicates.js";
import { HOLDER_SESSION } from "../../src/roster/types.js";
import { describeStep } from "../../src/plan/step-call.js";
import { HOLDER_UNIT, unitOfSession } from "../../src/identity/units.js";
import { NAMES, OWN } from "../helpers/generated-worlds.js";
import { propertySeeds, replaying, seedTally } from "../helpers/property-seeds.js";
import { foreignness, isActive, layout, pending, randomCase, run, unitOf, type Run } from "../helpers/systemd-world.js";

/**
 * The planner's invariants under the systemd backend, over generated worlds
 * (test/helpers/systemd-world.ts): each plan is run by the executor on a
 * model of tmux, the user manager and the files, step by step, and the
 * world it leaves is planned again.
 */
// PROPERTY_SEEDS=20000 for a longer hunt; the suite keeps 500. The runs are made as the file loads, so
// each test's title can say how many of them exercised it.
const seeds = propertySeeds(500);
const runs: Run[] = await Promise.all(seeds.map((s) => run(randomCase(s))));
/** Runs whose plan had no error, so the executor ran it on the model. */
const ran = runs.filter((x) => x.after !== null);
const changed = ran.filter((x) => pending(x.p).length > 0);
const applied = ran.filter((x) => x.p.backend === "systemd");
/** Runs whose world held a session, a unit or a launch file that is not this roster's, around a plan that ran. */
const nextToForeign = ran.filter((x) => {
  const f = foreignness(x.c);
  return NAMES.some((n) => f.foreignSession(n) || f.theirUnit(unitOfSession(n)) || f.foreignFile(n));
});
const holderMoves = applied.filter((x) => [...x.c.world.sessions.keys()].some((s) => s !== HOLDER_SESSION) && x.p.changes.some((c) => c.name === HOLDER_SESSION && isApplied(c)));
const ordered = runs.filter((x) => x.p.changes.some((c) => isApplied(c) && c.dependsOn.length > 0));

// Each floor is about three quarters of what the generator yields (measured at 500 seeds: 345 plans
// with changes run, 191 beside something not this roster's, 323 under systemd, 247 changing the
// holder while other sessions run, 433 with dependencies): a generator change that starves a
// property fails here instead of passing on a handful of seeds.
const tallies = {
  changed: seedTally(changed.length, seeds, "ran a plan with changes", 0.5),
  foreign: seedTally(nextToForeign.length, seeds, "ran a plan beside something not this roster's", 0.3),
  systemd: seedTally(applied.length, seeds, "ran a plan under systemd", 0.5),
  holder: seedTally(holderMoves.length, seeds, "changed the holder while other sessions ran", 0.35),
  ordered: seedTally(ordered.length, seeds, "planned a change with dependencies", 0.65),
};

describe(`planner invariants under the systemd backend, over ${seeds.length} generated worlds`, () => {
  it.skipIf(replaying)("generates enough applied systemd plans, of every kind, to mean something", () => {
    const withStep = (kind: string) => applied.filter((x) => x.p.changes.some((c) => c.steps.some((s) => (s.kind === "systemctl" ? `systemctl ${s.verb}` : s.kind) === kind))).length;
    expect(applied.length).toBeGreaterThan(250);
    expect(applied.filter((x) => x.c.intent.target === "roster").length).toBeGreaterThan(150);
    for (const kind of ["systemctl start", "systemctl stop", "systemctl enable", "systemctl disable", "tmux.stop", "file.write", "file.remove", "daemon-reload"]) expect(withStep(kind), kind).toBeGreaterThan(50);
    for (const kind of ["tmux.launch", "tmux.label"]) expect(withStep(kind), kind).toBeGreaterThan(15);
  });

  it(`every step succeeds and hits nothing the plan keeps ${tallies.changed.title}`, () => {
    tallies.changed.checkFloor();
    for (const x of runs) expect(x.violations, `seed ${x.c.seed}: ${JSON.stringify(pending(x.p))}`).toEqual([]);
  });

  it(`(a) applying a plan converges in one apply: replanning the simulated world finds no changes ${tallies.changed.title}`, () => {
    tallies.changed.checkFloor();
    for (const x of runs) if (x.replan) expect(pending(x.replan), `seed ${x.c.seed}: ${JSON.stringify(pending(x.p))}`).toEqual([]);
  });

  it(`(c) no step targets a session or unit of another roster or fleet, or a session mosaic did not make ${tallies.foreign.title}`, () => {
    tallies.foreign.checkFloor();
    const problems: string[] = [];
    for (const x of ran) {
      const f = foreignness(x.c);
      for (const c of x.p.changes.filter(isApplied)) {
        for (const step of c.steps) {
          const file = step.kind === "file.write" || step.kind === "file.remove" ? launchFileName(layout, step.path) : null;
          const foreign =
            step.kind === "tmux.launch" || step.kind === "tmux.label"
              ? f.foreignSession(step.after.name)
              : step.kind === "tmux.stop"
                ? f.foreignSession(step.session)
                : step.kind === "systemctl"
                  ? f.foreignUnitCall(step.verb, step.unit)
                  : file !== null && f.foreignFile(file);
          if (foreign) problems.push(`seed ${x.c.seed}: ${c.address} ${describeStep(step)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it(`(d) under systemd, the roster's units end active and enabled, and each of the fleet's units is active iff its session exists ${tallies.systemd.title}`, () => {
    tallies.systemd.checkFloor();
    const problems: string[] = [];
    for (const x of applied) {
      const w = x.after!;
      const f = foreignness(x.c);
      const held = new Set(x.p.changes.filter((c) => c.held).map((c) => c.name));
      const ownFiles = [...x.c.world.files].flatMap(([path, file]) => {
        const name = launchFileName(layout, path);
        return name !== null && file.kind === "file" && ofThisFleet(file.content, x.c.desired.socket, OWN) ? [name] : [];
      });
      const ours = new Set([HOLDER_SESSION, ...x.c.desired.agents.map((a) => a.name), ...[...x.c.world.sessions.values()].filter((s) => s.managed).map((s) => s.name), ...ownFiles]);
      // A stop leaves the holder's unit as it is while sessions it may not stop run: on the server, or of another fleet's agent units (they require it).
      const holderKept = x.c.intent.target === "stopped" && ([...w.sessions.keys()].some((s) => s !== HOLDER_SESSION) || [...(w.units?.keys() ?? [])].some((u) => u !== HOLDER_UNIT && f.theirUnit(u)));
      for (const name of ours) {
        const unit = unitOfSession(name);
        if (held.has(name) || f.foreignSession(name) || f.theirUnit(unit) || (name === HOLDER_SESSION && holderKept)) continue;
        if (isActive(w, unit) !== w.sessions.has(name)) problems.push(`seed ${x.c.seed}: ${unit} is ${unitOf(w, unit).activeState}, session ${name} ${w.sessions.has(name) ? "runs" : "does not"}`);
      }
      if (x.c.intent.target !== "roster") continue;
      for (const name of [HOLDER_SESSION, ...x.c.desired.agents.filter((a) => a.enabled).map((a) => a.name)]) {
        const unit = unitOfSession(name);
        if (held.has(name) || f.foreignSession(name) || f.theirUnit(unit)) continue;
        const u = unitOf(w, unit);
        if (u.activeState !== "active" || u.unitFileState !== "enabled") problems.push(`seed ${x.c.seed}: ${unit} ends ${u.activeState}, ${u.unitFileState}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it(`(e) the holder's unit never stops or restarts under a session the plan keeps ${tallies.holder.title}`, () => {
    // Checked as each step runs (holderGoesDown, execStop): here, that the worlds hold such sessions at all.
    tallies.holder.checkFloor();
    for (const x of runs) expect(x.violations.filter((v) => v.startsWith("(e)")), `seed ${x.c.seed}`).toEqual([]);
  });

  it(`(f) every dependency is ordered before its dependant, and the plan is deterministic ${tallies.ordered.title}`, () => {
    tallies.ordered.checkFloor();
    const problems: string[] = [];
    for (const x of runs) {
      const listed = new Map(x.p.changes.map((c, i) => [c.address, i]));
      const order = new Map(executionOrder(x.p.changes).map((c, i) => [c.address, i]));
      for (const c of x.p.changes) {
        for (const d of c.dependsOn) {
          if (!listed.has(d)) problems.push(`seed ${x.c.seed}: ${c.address} depends on ${d}, not in the plan`);
          else if (listed.get(d)! > listed.get(c.address)!) problems.push(`seed ${x.c.seed}: ${c.address} is listed before its dependency ${d}`);
          else if (order.get(d)! > order.get(c.address)!) problems.push(`seed ${x.c.seed}: ${c.address} runs before its dependency ${d}`);
        }
      }
      // The same world, its units and files listed in another order: the same plan, byte for byte
      // (checked on every other world: replanning them all would double the file's time).
      if (x.c.seed % 2 === 0) continue;
      const observed = x.observed;
      const shuffled: ObservedFleet = {
        ...observed,
        systemd: observed.systemd && { units: Object.fromEntries(Object.entries(observed.systemd.units).reverse()) },
        files: Object.fromEntries(Object.entries(observed.files).reverse()),
      };
      if (JSON.stringify(plan(x.c.desired, shuffled, x.c.intent, x.c.settings)) !== JSON.stringify(x.p)) problems.push(`seed ${x.c.seed}: another plan from the same world listed in another order`);
    }
    expect(problems).toEqual([]);
  });
});
