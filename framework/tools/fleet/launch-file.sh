# shellcheck shell=bash
# launch-file.sh: sourced by start-agent-session.sh and stop-agent-session.sh,
# never run on its own. Reads the launch file `mosaic fleet apply` writes for
# an agent: NUL-terminated fields (format tag, socket, tmux config, session
# name, spec hash, then the new-session arguments mosaic itself runs), read
# with mapfile -d '' and never parsed further or eval'd.

die() { printf '%s: %s\n' "${0##*/}" "$1" >&2; exit "${2:-1}"; }

# launch_file_path AGENT [LAUNCH_DIR]: prints where AGENT's launch file is.
launch_file_path() {
  [[ $# -ge 1 && $# -le 2 ]] || die "usage: ${0##*/} AGENT [LAUNCH_DIR]" 2
  local agent=$1
  [[ $agent =~ ^[a-z0-9][a-z0-9_-]{0,63}$ || $agent == _holder ]] || die "not an agent name: $agent" 2
  printf '%s/%s.launch\n' "${2:-${MOSAIC_LAUNCH_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/mosaic/fleet}}" "$agent"
}

# read_launch_file AGENT [LAUNCH_DIR]: sets socket, config, name, spec, args
# and launch_grace (the agent's stop grace, "" when the file has none).
read_launch_file() {
  local agent=$1 file fields=()
  file=$(launch_file_path "$@") || exit
  [[ -f $file ]] || die "no launch file $file; run: mosaic fleet apply"
  mapfile -d '' -t fields < "$file"
  [[ ${#fields[@]} -ge 6 && ${fields[0]} == mosaic-launch-v1 ]] || die "$file is not a mosaic launch file (mosaic-launch-v1)"
  # Globals, for the script that sources this file.
  # shellcheck disable=SC2034
  socket=${fields[1]} config=${fields[2]} name=${fields[3]} spec=${fields[4]}
  [[ $name == "$agent" ]] || die "$file launches \"$name\", not \"$agent\""
  # Never the user's own tmux server, and only a name tmux -L takes as one (the roster's rule).
  [[ $socket =~ ^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$ && $socket != default ]] || die "socket \"$socket\" is not a fleet socket"
  # shellcheck disable=SC2034
  args=("${fields[@]:5}")
  # The stop grace mosaic wrote among the labels it sets (set-option ... @mosaic-stop-grace N):
  # read from here, never from the session, whose labels its agent can rewrite.
  local i
  launch_grace=
  for (( i = 5; i + 1 < ${#fields[@]}; i++ )); do
    # shellcheck disable=SC2034
    [[ ${fields[i]} == @mosaic-stop-grace ]] && { launch_grace=${fields[i + 1]}; break; }
  done
}

# tmux on the fleet's socket only: never steered to an enclosing server.
tmux_() { env -u TMUX -u TMUX_PANE tmux -u -L "$socket" -f "$config" "$@"; }

# A session label of the agent's session, or "" when unset.
label() { tmux_ show-options -v -t "=$name:" "$1" 2>/dev/null || true; }

# "PID DEAD" of the agent's own pane: the pane the session recorded
# (@mosaic-pane), looked up among this session's panes only, so a label an
# agent rewrote can never point at another session's pane. Nothing when
# there is no such pane.
agent_pane() {
  local recorded id pid dead
  recorded=$(label @mosaic-pane)
  [[ $recorded =~ ^%[0-9]+$ ]] || return 0
  while read -r id pid dead; do
    [[ $id == "$recorded" ]] && { printf '%s %s\n' "$pid" "$dead"; return 0; }
  done < <(tmux_ list-panes -s -t "=$name" -F '#{pane_id} #{pane_pid} #{pane_dead}' 2>/dev/null || true)
  return 0
}
