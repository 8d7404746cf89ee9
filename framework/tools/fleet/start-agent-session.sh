#!/usr/bin/env bash
# start-agent-session.sh AGENT [LAUNCH_DIR]     (AGENT may be _holder, the holder session)
#
# Starts one agent's tmux session on the fleet's isolated socket, as the
# systemd unit mosaic-agent@AGENT.service does. It reads the launch file
# `mosaic fleet apply` wrote for the agent (LAUNCH_DIR/AGENT.launch; the
# folder defaults to $MOSAIC_LAUNCH_DIR, else
# ${XDG_STATE_HOME:-~/.local/state}/mosaic/fleet), which holds the
# session's launch as data, and starts it as a direct apply would, so the
# session carries the same labels.
#
# Idempotent: if the agent's session is already live with the same spec,
# it changes nothing and exits 0. A session of that name that is dead, made
# for another spec, or not made by mosaic is left alone: exit 1, saying so.
# Only the holder (AGENT _holder) starts the tmux server; an agent with no
# server to join is refused.
#
# When mosaic itself has just done this (fleet start, stop, apply: the
# same steps, batched for the whole fleet), it vouches for it with a
# receipt beside LAUNCH_DIR (../vouched/) while it waits on systemd, and this
# script only records it: exit 0 at once (exec-tool.sh, `vouched`).
#
# A shim: it checks its arguments and runs mosaic's session tool
# (../lib/exec-tool.sh says how), the same code the mosaic command runs.
#
# Exit status: 0 started or already running, 1 refused, 2 usage.
set -euo pipefail
[[ $# -ge 1 && $# -le 2 ]] || { printf 'usage: start-agent-session.sh AGENT [LAUNCH_DIR]\n' >&2; exit 2; }
# ${BASH_SOURCE[0]%/*}, not dirname: a unit runs this at every start, and each spawn counts.
here=${BASH_SOURCE[0]%/*}; [[ $here != "${BASH_SOURCE[0]}" ]] || here=.
# shellcheck source=SCRIPTDIR/../lib/exec-tool.sh
. "$here/../lib/exec-tool.sh"
# The unit of an agent mosaic has just started itself only records it.
[[ $# -lt 2 || $1 == _holder ]] || ! vouched start "$1" "$2" || exit 0
exec_tool start-agent-session "$@"
