/**
 * Shell completion, computed by mosaic itself: the shell's script (bash,
 * zsh, fish) only passes the words typed so far to `mosaic completion
 * --complete`, so the three shells complete the same commands, options and
 * agent names from one implementation, and a new command needs no script.
 */

/** What completion needs to know of one command. */
export interface CommandShape {
  /** Its words after `mosaic`: ["fleet", "plan"]. */
  readonly path: readonly string[];
  /** Its options: every name (`-n`, `--lines`) and whether a value follows. */
  readonly options: readonly { readonly names: readonly string[]; readonly value: string | null }[];
  /** It takes agent names as arguments (`agent send NAME`). */
  readonly takesAgents: boolean;
}

/** Options whose value is an agent's name (`--socket NAME` names a socket). */
const AGENT_OPTIONS = new Set(["--agent", "--force-replace"]);

/**
 * The candidates for `current`, the word being typed, after `before` (the
 * words after `mosaic`). Agent names are asked for only when they can be
 * the answer (`agents` reads the roster).
 */
export function complete(before: readonly string[], current: string, commands: readonly CommandShape[], agents: () => readonly string[]): string[] {
  const command = commands.filter((c) => c.path.every((w, i) => before[i] === w)).sort((a, b) => b.path.length - a.path.length)[0];
  const starting = (xs: Iterable<string>) => [...new Set(xs)].filter((x) => x.startsWith(current)).sort();
  if (command === undefined) {
    // Still naming the command: the words that can come next.
    const next = commands.filter((c) => before.every((w, i) => c.path[i] === w) && c.path.length > before.length).map((c) => c.path[before.length]!);
    return starting(next);
  }
  const previous = before.at(-1);
  const option = command.options.find((o) => previous !== undefined && o.names.includes(previous));
  if (option !== undefined && option.value !== null && before.length > command.path.length) return option.names.some((n) => AGENT_OPTIONS.has(n)) ? starting(agents()) : [];
  if (current.startsWith("-")) return starting(command.options.flatMap((o) => o.names.filter((n) => n.startsWith("--"))));
  if (!command.takesAgents) return [];
  const given = new Set(before.slice(command.path.length));
  return starting(agents().filter((a) => !given.has(a)));
}

/** The script each shell sources; each asks `mosaic completion --complete` for the candidates. */
export function completionScript(shell: "bash" | "zsh" | "fish"): string {
  switch (shell) {
    case "bash":
      return `# mosaic completion for bash. Load it now:  source <(mosaic completion bash)
# or for every shell:  mosaic completion bash > ~/.local/share/bash-completion/completions/mosaic
_mosaic() {
  local IFS=$'\\n'
  COMPREPLY=($(mosaic completion --complete -- "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "\${COMP_WORDS[COMP_CWORD]}" 2>/dev/null))
}
complete -o default -F _mosaic mosaic
`;
    case "zsh":
      return `#compdef mosaic
# mosaic completion for zsh. Load it now:  source <(mosaic completion zsh)
# or save it as _mosaic in a folder of your $fpath.
_mosaic() {
  local -a candidates
  candidates=("\${(@f)$(mosaic completion --complete -- "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null)}")
  if (( \${#candidates[@]} )) && [[ -n \${candidates[1]} ]]; then compadd -a candidates; else _files; fi
}
compdef _mosaic mosaic
`;
    case "fish":
      return `# mosaic completion for fish:  mosaic completion fish > ~/.config/fish/completions/mosaic.fish
complete -c mosaic -f -a '(mosaic completion --complete -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`;
  }
}
