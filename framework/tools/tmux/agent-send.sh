#!/usr/bin/env bash
# agent-send.sh -L SOCKET [-S LABEL] [-p PANE] [-k KEY] [-s SETTLE_MS] [--] AGENT TEXT|-
#
# Sends a message (TEXT, or standard input for `-`) to the fleet agent
# AGENT on the tmux socket SOCKET, framed with where it comes from. The
# agent reads one header in front of the first line:
#
#     [from LABEL] first line of the message
#     further lines, as typed
#
# No line of the message may itself start with `[from `. Several lines
# arrive as one message when the program in the pane takes bracketed paste
# (every agent TUI does); a program reading lines gets each as its own.
#
# LABEL: -S, else, when this runs in a pane of the same fleet ($TMUX_PANE,
# as inside an agent), `HOST:SESSION` of that pane, else `HOST:operator`
# (HOST: `uname -n`). `mosaic agent send` always passes -S, so a command
# typed in an agent's pane still says it is the operator's. A label is
# letters, digits and `._:@/+-`, starting with a letter or digit.
#
# The agent's pane is the one its session recorded at launch
# (in its @mosaic label), never a pane split off it; a session that recorded none
# must have exactly one. With -p, the send goes ahead only if that is still
# PANE, so an agent restarted in between is not sent what was meant for the
# one before. KEY and SETTLE_MS go to send-message.sh (the roster's
# `submit.key` and `submit.settle_ms`), which does the typing.
#
# A shim: it runs mosaic's session tool (../lib/exec-tool.sh says how),
# the same code `mosaic agent send` runs, which checks every argument.
#
# Exit status: send-message.sh's (0 delivered, 1 nothing sent, 2 usage,
# 3 typed but not confirmed).
set -euo pipefail
[[ $# -ge 1 ]] || { printf 'usage: agent-send.sh -L SOCKET [-S LABEL] [-p PANE] [-k KEY] [-s SETTLE_MS] [--] AGENT TEXT|-\n' >&2; exit 2; }
# ${BASH_SOURCE[0]%/*}, not dirname: a unit runs this at every start, and each spawn counts.
here=${BASH_SOURCE[0]%/*}; [[ $here != "${BASH_SOURCE[0]}" ]] || here=.
# shellcheck source=SCRIPTDIR/../lib/exec-tool.sh
. "$here/../lib/exec-tool.sh"
exec_tool agent-send "$@"
