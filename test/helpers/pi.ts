import { execa, type ResultPromise } from "execa";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./cli.js";

/** The pi release the tests drive: the brief's canary-pi, from the npm registry. */
export const PI_PACKAGE = "@mariozechner/pi-coding-agent@0.73.1";
const cache = join(repoRoot, "node_modules", ".cache", "mosaic-test-pi-0.73.1");

/**
 * pi's executable, installed once into node_modules/.cache from the
 * registry (about 200 MB, 20 s here); or why it could not be.
 */
export async function installPi(): Promise<{ bin: string } | { skip: string }> {
  const bin = join(cache, "node_modules", ".bin", "pi");
  if (existsSync(bin)) return { bin };
  mkdirSync(cache, { recursive: true });
  const r = await execa("npm", ["install", "--prefix", cache, "--no-audit", "--no-fund", "--loglevel=error", PI_PACKAGE], { reject: false, timeout: 240_000 });
  if (r.exitCode !== 0 || !existsSync(bin)) return { skip: `npm install ${PI_PACKAGE} failed (exit ${r.exitCode ?? "none"}): ${(r.stderr || r.stdout).split("\n").slice(-5).join(" | ")}` };
  return { bin };
}

export interface StandInModel {
  readonly port: number;
  stop(): Promise<void>;
}

/** The stand-in model server, logging every message it is asked to answer to `log`. */
export async function startStandInModel(log: string): Promise<StandInModel> {
  const child: ResultPromise = execa(process.execPath, [join(repoRoot, "test", "helpers", "stand-in-model.mjs"), "0"], { env: { STAND_IN_LOG: log }, reject: false });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void child.then((r) => reject(new Error(`the stand-in model exited: ${r.stderr}`)));
  });
  return {
    port,
    stop: async () => {
      child.kill("SIGTERM");
      await child;
    },
  };
}

/**
 * pi's configuration in `home`: the stand-in as its one custom provider, so
 * it starts straight into its editor with that model, no login, no network.
 */
export function configurePi(home: string, port: number): void {
  const dir = join(home, ".pi", "agent");
  mkdirSync(dir, { recursive: true });
  const models = {
    providers: {
      standin: {
        baseUrl: `http://127.0.0.1:${port}/v1`,
        api: "openai-completions",
        apiKey: "stand-in-key",
        compat: { supportsDeveloperRole: false, supportsReasoningEffort: false },
        models: [{ id: "stand-in", name: "Stand-in Model", reasoning: false, input: ["text"], contextWindow: 128000, maxTokens: 4096 }],
      },
    },
  };
  writeFileSync(join(dir, "models.json"), JSON.stringify(models, null, 2));
  writeFileSync(join(dir, "settings.json"), JSON.stringify({ defaultProvider: "standin", defaultModel: "stand-in", defaultThinkingLevel: "off", quietStartup: true, enableInstallTelemetry: false }));
}

/** pi shows its footer, ending in the model's id, once it takes input: before that a paste is lost. */
export const PI_READY = /stand-in\s*$/m;
