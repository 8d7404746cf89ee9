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
# Only the holder (AGENT _holder) starts the tmux server; an agent with no
# server to join is refused.
#
# Exit status: 0 started or already running, 1 refused, 2 usage.
set -euo pipefail

# shellcheck source=SCRIPTDIR/launch-file.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/launch-file.sh"
read_launch_file "$@"

if tmux_ has-session -t "=$name" 2>/dev/null; then
  session_labels
  current=$label_spec

  [[ $label_managed == 1 ]] || die "a session named $name on socket $socket was not made by mosaic; left it alone"
  [[ $current == "$spec" ]] || die "session $name runs another spec ($current); stop it first (the unit's ExecStop does)"
  now=$(agent_pane)
  [[ -n $now && ${now##* } == 0 ]] || die "session $name has no live agent pane; stop it first (the unit's ExecStop does)"
  exit 0
fi

# An agent never starts the fleet's tmux server: the server joins the cgroup
# of the unit that starts it, and stopping that unit would then end every
# agent. The holder's unit starts it (restart that unit when it is gone).
if [[ $name != _holder ]] && ! tmux_ list-sessions >/dev/null 2>&1; then
  die "no tmux server on socket $socket; mosaic-tmux-holder.service starts it (mosaic fleet apply restarts that unit)"
fi

tmux_ "${args[@]}" >/dev/null
