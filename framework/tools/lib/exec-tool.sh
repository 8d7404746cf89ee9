# shellcheck shell=bash
# exec-tool.sh: sourced by the fleet's shell tools, never run on its own.
# exec_tool TOOL ARGS... replaces the calling script with mosaic's session
# tool (mosaic-session.mjs beside this file: the same code the mosaic
# command runs, bundled) under the node recorded at install (node-path
# beside this file, written by `fleet install-systemd` and `mosaic update`),
# else the node on PATH (the package's own copy, before any install).

exec_tool() {
  local lib node
  lib=$(dirname -- "${BASH_SOURCE[0]}")
  if [[ -f $lib/node-path ]]; then
    node=$(<"$lib/node-path")
    [[ -f $node && -x $node ]] || { printf '%s: the node mosaic recorded at install (%q) is not there; run: mosaic update\n' "${0##*/}" "$node" >&2; exit 1; }
  else
    node=$(command -v node) || { printf '%s: no node on PATH to run mosaic'"'"'s session tool with; run: mosaic update\n' "${0##*/}" >&2; exit 1; }
  fi
  exec "$node" -- "$lib/mosaic-session.mjs" "$@"
}
