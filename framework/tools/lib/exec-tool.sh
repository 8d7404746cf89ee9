# shellcheck shell=bash
# exec-tool.sh: sourced by the fleet's shell tools, never run on its own.
# exec_tool TOOL ARGS... replaces the calling script with mosaic's session
# tool (mosaic-session.mjs beside this file: the same code the mosaic
# command runs, bundled) under the node recorded at install (node-path
# beside this file, written by `fleet install-systemd` and `mosaic update`),
# else the node on PATH (the package's own copy, before any install).

exec_tool() {
  local lib node
  # Builtins only: node's own start is the cost of every unit start, nothing adds to it.
  lib=${BASH_SOURCE[0]%/*}
  [[ $lib != "${BASH_SOURCE[0]}" ]] || lib=.
  if [[ -f $lib/node-path ]]; then
    IFS= read -r node <"$lib/node-path" || true
    [[ -f $node && -x $node ]] || { printf '%s: the node mosaic recorded at install (%q) is not there; run: mosaic update\n' "${0##*/}" "$node" >&2; exit 1; }
  else
    node=$(command -v node) || { printf '%s: no node on PATH to run mosaic'"'"'s session tool with; run: mosaic update\n' "${0##*/}" >&2; exit 1; }
  fi
  exec "$node" -- "$lib/mosaic-session.mjs" "$@"
}
