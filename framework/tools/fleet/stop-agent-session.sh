#!/usr/bin/env bash
# stop-agent-session.sh AGENT [LAUNCH_DIR]     (AGENT may be _holder)
#
# Stops one agent's tmux session as mosaic itself does, for the systemd
# unit mosaic-agent@AGENT.service (ExecStop): SIGTERM to the agent pane's
# process group, its grace period, SIGKILL, then the session is removed.
# The socket and tmux config come from the agent's launch file (see
# start-agent-session.sh), and so does the grace period (default 5 s):
# never the session's own label, which its agent can rewrite.
#
# An agent controls what runs in its pane, so nothing it can write decides
# what is signalled: only the pane the session recorded as the agent's,
# among the session's own panes, is considered; its pid is read from tmux
# by that exact pane id just before the signal, and it must lead its own
# process group and session in /proc (tmux starts every pane with setsid).
# A dead pane's group is signalled too (children started with nohup
# outlive their leader), unless a live process now holds that pid. A pid
# <= 1 never. A label not in the exact form mosaic writes is no label.
#
# When mosaic itself has just done this (fleet start, stop, apply: the
# same steps, batched for the whole fleet), it vouches for it with a
# receipt beside LAUNCH_DIR (../vouched/) while it waits on systemd, and this
# script only records it: exit 0 at once (exec-tool.sh, `vouched`).
#
# A shim: it checks its arguments and runs mosaic's session tool
# (../lib/exec-tool.sh says how), the same code the mosaic command runs.
#
# Exit status: 0 stopped or nothing to stop (no session, or no launch file),
# 1 refused, 2 usage.
set -euo pipefail
[[ $# -ge 1 && $# -le 2 ]] || { printf 'usage: stop-agent-session.sh AGENT [LAUNCH_DIR]\n' >&2; exit 2; }
# ${BASH_SOURCE[0]%/*}, not dirname: a unit runs this at every start, and each spawn counts.
here=${BASH_SOURCE[0]%/*}; [[ $here != "${BASH_SOURCE[0]}" ]] || here=.
# shellcheck source=SCRIPTDIR/../lib/exec-tool.sh
. "$here/../lib/exec-tool.sh"
# The unit of an agent mosaic has just stopped itself only records it.
[[ $# -lt 2 || $1 == _holder ]] || ! vouched stop "$1" "$2" || exit 0
exec_tool stop-agent-session "$@"
