import { kindOf } from "./kinds/index.js";
import { observationFailed } from "./predicates.js";
import type { Plan } from "./types.js";

/**
 * Whether the plan rests on a whole observation, the `complete` of a plan
 * document: the fleet could be read (observationFailed), and every change
 * shows what was observed, never a state assumed for something nobody
 * answered for (units where the systemd backend is asked for and no user
 * manager answers). Computed from the plan alone, so a saved plan shown
 * later says the same.
 */
export function planComplete(plan: Plan): boolean {
  return !observationFailed(plan) && plan.changes.every((c) => kindOf(c.type).seen(c));
}
