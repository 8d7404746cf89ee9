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

# vouched VERB AGENT LAUNCH_DIR: whether mosaic has just done this agent's
# start or stop itself and is waiting on systemd to record it, as its
# receipt (vouched/AGENT.VERB beside LAUNCH_DIR: "PID STARTTIME", written by
# mosaic under its apply lock) says. A receipt vouches only while the
# process that wrote it lives with that start time (field 22 of
# /proc/PID/stat), so a killed mosaic's receipt vouches for nothing. Then
# the unit has nothing to do, and no node starts. Builtins only.
vouched() {
  local receipt=${3%/}
  receipt=${receipt%/*}/vouched/$2.$1
  local pid start stat
  local -a fields
  [[ -f $receipt ]] || return 1
  read -r pid start <"$receipt" || return 1
  [[ $pid =~ ^[0-9]+$ && $start =~ ^[0-9]+$ ]] || return 1
  read -r stat <"/proc/$pid/stat" 2>/dev/null || return 1
  # The command name, in parentheses, may hold anything: the fields start after the last ") ".
  read -ra fields <<<"${stat##*) }"
  [[ ${fields[19]:-} == "$start" ]]
}
