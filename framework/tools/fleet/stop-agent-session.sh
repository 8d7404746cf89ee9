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
# what is signalled: only the pane the session recorded as the agent's
# (its @mosaic label's pane=), among the session's own panes, is considered; its pid is
# read from tmux by that exact pane id just before the signal, and it must lead its own process group
# and session in /proc (tmux starts every pane with setsid). A dead pane's
# group is signalled too (children started with nohup outlive their
# leader), unless a live process now holds that pid. A pid <= 1 never.
#
# Exit status: 0 stopped or nothing to stop (no session, or no launch file),
# 1 refused, 2 usage.
set -euo pipefail

# shellcheck source=SCRIPTDIR/launch-file.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/launch-file.sh"
# No launch file: mosaic removed it with the agent, so nothing it started is left to name.
file=$(launch_file_path "$@") || exit
[[ -f $file ]] || { printf '%s: no launch file %s; nothing to stop\n' "${0##*/}" "$file" >&2; exit 0; }
read_launch_file "$@"

tmux_ has-session -t "=$name" 2>/dev/null || exit 0
session_labels
[[ $label_managed == 1 ]] || die "a session named $name on socket $socket was not made by mosaic; left it alone"

# Grace in tenths of a second, from the launch file mosaic wrote (at most 600 s, whatever it says).
grace=$launch_grace
[[ $grace =~ ^([0-9]{1,3})(\.([0-9]))?[0-9]*$ ]] || grace=5
tenths=$(( 10#${BASH_REMATCH[1]:-5} * 10 + 10#${BASH_REMATCH[3]:-0} ))
(( tenths <= 6000 )) || tenths=6000

# "S 77 77" -> state, pgrp, session of a pid, from /proc (the name in parentheses may hold anything).
proc_stat() {
  local stat rest
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  rest=${stat##*) }
  read -r state _ pgrp session _ <<<"$rest"
  printf '%s %s %s\n' "$state" "$pgrp" "$session"
}

# Whether any process of the group still runs; zombies do not count (tmux reaps lazily).
group_alive() {
  local p st
  for p in $(pgrep -g "$1" 2>/dev/null || true); do
    st=$(proc_stat "$p") || continue
    [[ ${st%% *} == Z || ${st%% *} == X ]] || return 0
  done
  return 1
}

pgid=
now=$(agent_pane)
if [[ -n $now ]]; then
  pid=${now%% *} dead=${now##* }
  if [[ $pid =~ ^[0-9]+$ ]] && (( pid > 1 )); then
    if st=$(proc_stat "$pid"); then
      read -r state pgrp session <<<"$st"
      zombie=no
      [[ $state == Z || $state == X ]] && zombie=yes
      if [[ $dead == 0 && $zombie == no && $pgrp == "$pid" && $session == "$pid" ]]; then
        pgid=$pid
      elif [[ $dead == 1 && $zombie == yes ]]; then
        pgid=$pid
      else
        printf '%s: %s: signalled nothing: pid %s is not the pane'"'"'s own process group leader\n' "${0##*/}" "$name" "$pid" >&2
      fi
    elif [[ $dead == 1 ]]; then
      pgid=$pid # leader reaped; its group, if any member lives, keeps the id from being reused
    fi
  fi
fi

if [[ -n $pgid ]] && kill -TERM -- "-$pgid" 2>/dev/null; then
  kill -CONT -- "-$pgid" 2>/dev/null || true
  for (( i = 0; i < tenths; i++ )); do
    group_alive "$pgid" || break
    sleep 0.1
  done
  if group_alive "$pgid"; then
    kill -KILL -- "-$pgid" 2>/dev/null || true
    for (( i = 0; i < 20; i++ )); do group_alive "$pgid" || break; sleep 0.05; done
  fi
fi

tmux_ kill-session -t "=$name" 2>/dev/null || true
