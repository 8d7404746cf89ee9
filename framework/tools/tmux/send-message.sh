#!/usr/bin/env bash
# send-message.sh -L SOCKET -t PANE [-k KEY] [-s SETTLE_MS] [--] TEXT|-
#
# Types TEXT (standard input for `-`) into one tmux pane literally and
# exactly once, then presses KEY (default Enter) to submit it. PANE is a
# pane id (%N), exact for the server's lifetime. The fleet's messages go
# through agent-send.sh, which finds an agent's pane and frames the text
# with its source; this is the delivery under it.
#
# How, and why:
# - The text never passes through send-keys, which reads words like
#   `Enter` or `C-c` as keys and loses a trailing `;`, nor onto a tmux
#   command line, which tmux caps near 16 KiB. It goes on standard input into a
#   buffer of its own name (load-buffer from stdin) that is pasted once and
#   deleted (paste-buffer -d). -p adds bracketed-paste codes only if the
#   program in the pane asked for them, so a TUI takes several lines as one
#   message; -r keeps a newline a newline (tmux would make it a carriage
#   return: Enter, in a program that did not ask for bracketed paste).
# - Trailing newlines are dropped: each would be a submit of its own.
#   Control characters (C0, DEL and C1) other than tab and newline are
#   refused: one could end a bracketed paste early, or interrupt the agent.
# - A pane in copy mode leaves it first, or the keys would go to the mode.
# - TUI agents lose a submit key that comes while they still take in a
#   paste, leaving the message typed but unsent. So: paste, wait SETTLE_MS,
#   wait for the pane to show the text, press KEY, and check the pane
#   changed; if it did not, press KEY again, at most three times in all.
# - One sender at a time per session (a lock), so two messages never
#   interleave. A sender killed outright after the paste leaves a marker;
#   the next send to that pane submits the leftover text on its own first.
#
# A shim: it runs mosaic's session tool (../lib/exec-tool.sh says how),
# the same code `mosaic agent send` runs, which checks every argument.
#
# Exit status: 0 delivered (the pane changed after the submit key);
# 1 nothing was sent (bad text, no such pane, dead pane, busy lock);
# 2 usage; 3 typed but not confirmed (the message says how far it got).
# Environment, for slow agents: MOSAIC_SEND_CONFIRM_MS, how long each
# check waits for the pane to change (default 2000);
# MOSAIC_SEND_LOCK_SECONDS, how long to wait for another sender (default 60).
set -euo pipefail
[[ $# -ge 1 ]] || { printf 'usage: send-message.sh -L SOCKET -t PANE [-k KEY] [-s SETTLE_MS] [--] TEXT|-\n' >&2; exit 2; }
# ${BASH_SOURCE[0]%/*}, not dirname: a unit runs this at every start, and each spawn counts.
here=${BASH_SOURCE[0]%/*}; [[ $here != "${BASH_SOURCE[0]}" ]] || here=.
# shellcheck source=SCRIPTDIR/../lib/exec-tool.sh
. "$here/../lib/exec-tool.sh"
exec_tool send-message "$@"
