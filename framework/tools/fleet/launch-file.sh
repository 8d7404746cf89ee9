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
  # The stop grace mosaic wrote in the label it sets (set-option ... @mosaic "v2 ... grace=N ...",
  # or @mosaic-stop-grace N in a file an older mosaic wrote): read from here, never from the
  # session, whose labels its agent can rewrite.
  local i token tokens
  launch_grace=
  for (( i = 5; i + 1 < ${#fields[@]}; i++ )); do
    if [[ ${fields[i]} == @mosaic ]]; then
      # Split on spaces only, never globbed: "v2 pane=#{pane_id} managed=1 ... grace=N ...".
      read -ra tokens <<<"${fields[i + 1]}"
      for token in "${tokens[@]}"; do
        # shellcheck disable=SC2034
        [[ $token == grace=* ]] && launch_grace=${token#grace=}
      done
      break
    fi
    # shellcheck disable=SC2034
    [[ ${fields[i]} == @mosaic-stop-grace ]] && { launch_grace=${fields[i + 1]}; break; }
  done
  return 0
}

# tmux on the fleet's socket only: never steered to an enclosing server.
tmux_() { env -u TMUX -u TMUX_PANE tmux -u -L "$socket" -f "$config" "$@"; }

# A session label of the agent's session, or "" when unset.
label() { tmux_ show-options -v -t "=$name:" "$1" 2>/dev/null || true; }

# session_labels: reads what the session records about itself into
# label_managed, label_spec and label_pane: its @mosaic label
# ("v2 pane=%N managed=1 spec=... ..."), or for a session an older mosaic
# started, its separate @mosaic-managed, @mosaic-spec and @mosaic-pane. A
# label not in the exact form mosaic writes (an unknown or repeated key)
# counts as none, as it does for mosaic itself.
# shellcheck disable=SC2034
session_labels() {
  local value token key seen=" "
  label_managed='' label_spec='' label_pane=''
  value=$(label @mosaic)
  if [[ -z $value ]]; then
    label_managed=$(label @mosaic-managed) label_spec=$(label @mosaic-spec) label_pane=$(label @mosaic-pane)
    return 0
  fi
  [[ $value =~ ^v2( [a-z]+=[A-Za-z0-9%:=,._-]+)*$ ]] || return 0
  for token in ${value#v2}; do
    key=${token%%=*}
    case $key in pane | managed | spec | fields | launch | grace | roster) ;; *) label_managed='' label_spec='' label_pane=''; return 0 ;; esac
    [[ $seen == *" $key "* ]] && { label_managed='' label_spec='' label_pane=''; return 0; }
    seen+="$key "
    case $key in
      managed) label_managed=${token#*=} ;;
      spec) label_spec=${token#*=} ;;
      pane) label_pane=${token#*=} ;;
    esac
  done
}

# "PID DEAD" of the agent's own pane: the pane the session recorded
# (label_pane, from session_labels, which the caller runs first), looked up
# among this session's panes only, so a label an agent rewrote can never
# point at another session's pane. Nothing when there is no such pane.
agent_pane() {
  local recorded=$label_pane id pid dead
  [[ $recorded =~ ^%[0-9]+$ ]] || return 0
  while read -r id pid dead; do
    [[ $id == "$recorded" ]] && { printf '%s %s\n' "$pid" "$dead"; return 0; }
  done < <(tmux_ list-panes -s -t "=$name" -F '#{pane_id} #{pane_pid} #{pane_dead}' 2>/dev/null || true)
  return 0
}
