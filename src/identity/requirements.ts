/** The oldest tmux mosaic runs on: `new-session -e` (an agent's environment) arrived in 3.2. */
export const MIN_TMUX = { major: 3, minor: 2 } as const;
