#!/usr/bin/env bash
# start-agent-session.sh AGENT [LAUNCH_DIR]     (AGENT may be _holder, the holder session)
#
# Starts one agent's tmux session on the fleet's isolated socket, as the
# systemd unit mosaic-agent@AGENT.service does. It reads the launch file
# `mosaic fleet apply` wrote for the agent (LAUNCH_DIR/AGENT.launch; the
# folder defaults to $MOSAIC_LAUNCH_DIR, else
# ${XDG_STATE_HOME:-~/.local/state}/mosaic/fleet): NUL-separated fields
# holding the format tag, socket, tmux config, session name, spec hash and
# the new-session arguments mosaic itself would run. Nothing is parsed or
# eval'd: the arguments go to tmux as they are, so the session carries the
# same labels as one mosaic starts directly.
#
# Idempotent: if the agent's session is already live with the same spec,
# it changes nothing and exits 0. A session of that name that is dead, made
# for another spec, or not made by mosaic is left alone: exit 1, saying so.
#
# Exit status: 0 started or already running, 1 refused, 2 usage.
set -euo pipefail

prog=${0##*/}
die() { printf '%s: %s\n' "$prog" "$1" >&2; exit "${2:-1}"; }

[[ $# -ge 1 && $# -le 2 ]] || die "usage: $prog AGENT [LAUNCH_DIR]" 2
agent=$1
[[ $agent =~ ^[a-z0-9][a-z0-9_-]{0,63}$ || $agent == _holder ]] || die "not an agent name: $agent" 2
dir=${2:-${MOSAIC_LAUNCH_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/mosaic/fleet}}
file=$dir/$agent.launch
[[ -f $file ]] || die "no launch file $file; run: mosaic fleet apply"

fields=()
mapfile -d '' -t fields < "$file"
[[ ${#fields[@]} -ge 6 && ${fields[0]} == mosaic-launch-v1 ]] || die "$file is not a mosaic launch file (mosaic-launch-v1)"
socket=${fields[1]} config=${fields[2]} name=${fields[3]} spec=${fields[4]}
[[ $name == "$agent" ]] || die "$file launches \"$name\", not \"$agent\""
args=("${fields[@]:5}")

# Never steered to an enclosing tmux server: the socket is named, the environment cleared of it.
tmux_() { env -u TMUX -u TMUX_PANE tmux -u -L "$socket" -f "$config" "$@"; }

if tmux_ has-session -t "=$name" 2>/dev/null; then
  managed=$(tmux_ show-options -v -t "=$name:" @mosaic-managed 2>/dev/null || true)
  current=$(tmux_ show-options -v -t "=$name:" @mosaic-spec 2>/dev/null || true)
  pane=$(tmux_ show-options -v -t "=$name:" @mosaic-pane 2>/dev/null || true)
  [[ $managed == 1 ]] || die "a session named $name on socket $socket was not made by mosaic; left it alone"
  [[ $current == "$spec" ]] || die "session $name runs another spec ($current); stop it first (the unit's ExecStop does)"
  [[ $pane =~ ^%[0-9]+$ ]] && dead=$(tmux_ display-message -p -t "$pane" '#{pane_dead}' 2>/dev/null) || dead=gone
  [[ $dead == 0 ]] || die "session $name has no live agent pane; stop it first (the unit's ExecStop does)"
  exit 0
fi

tmux_ "${args[@]}" >/dev/null
