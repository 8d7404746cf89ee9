import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests drive real tmux servers; each file isolates itself
    // (own TMUX_TMPDIR and socket), so files may run in parallel.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
