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
#   command line, which tmux caps near 16 KiB. It goes from a file into a
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
# - One sender at a time per session (flock), so two messages never
#   interleave.
#
# Exit status: 0 delivered (the pane changed after the submit key);
# 1 nothing was sent (bad text, no such pane, dead pane, busy lock);
# 2 usage; 3 typed but not confirmed (the message says how far it got).
# Environment, for slow agents: MOSAIC_SEND_CONFIRM_MS, how long each
# check waits for the pane to change (default 2000);
# MOSAIC_SEND_LOCK_SECONDS, how long to wait for another sender (default 60).
set -euo pipefail

die() {
  printf 'send-message.sh: %s\n' "$1" >&2
  exit "${2:-1}"
}
usage() { die "usage: send-message.sh -L SOCKET -t PANE [-k KEY] [-s SETTLE_MS] [--] TEXT|-" 2; }

socket='' pane='' key=Enter settle=200
while getopts ':L:t:k:s:' opt; do
  case $opt in
    L) socket=$OPTARG ;;
    t) pane=$OPTARG ;;
    k) key=$OPTARG ;;
    s) settle=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[[ $# -eq 1 ]] || usage
[[ $socket =~ ^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$ ]] || die "-L: not a socket name: '$socket'" 2
[[ $pane =~ ^%[0-9]+$ ]] || die "-t: not a pane id (%N): '$pane'" 2
[[ $key =~ ^[A-Za-z0-9][A-Za-z0-9-]{0,31}$ ]] || die "-k: not a tmux key name: '$key'" 2
[[ $settle =~ ^[0-9]{1,5}$ ]] || die "-s: not a number of milliseconds: '$settle'" 2
confirm=${MOSAIC_SEND_CONFIRM_MS:-2000}
[[ $confirm =~ ^[0-9]{1,6}$ ]] || die "MOSAIC_SEND_CONFIRM_MS: not a number of milliseconds: '$confirm'" 2
lock_seconds=${MOSAIC_SEND_LOCK_SECONDS:-60}
[[ $lock_seconds =~ ^[0-9]{1,5}$ ]] || die "MOSAIC_SEND_LOCK_SECONDS: not a number of seconds: '$lock_seconds'" 2

# The socket is named with -L, so an enclosing tmux ($TMUX) is never used.
tmux_() { env -u TMUX -u TMUX_PANE tmux -u -L "$socket" "$@"; }
seconds() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

# A buffer loaded but not pasted (Ctrl+C in between) is deleted on the way out.
loaded=''
work=$(mktemp -d "${TMPDIR:-/tmp}/mosaic-send.XXXXXX" 2>/dev/null) || die "cannot make a temporary folder in ${TMPDIR:-/tmp}; nothing was sent"
pending=''
# shellcheck disable=SC2317 # cleanup runs from the EXIT trap
cleanup() {
  rm -rf -- "$work"
  if [[ -n $loaded ]]; then tmux_ delete-buffer -b "$loaded" 2>/dev/null || true; fi
  if [[ -n $pending ]]; then rm -f -- "$pending"; fi
}
trap cleanup EXIT
message=$work/message
if [[ $1 == - ]]; then cat >"$message"; else printf '%s' "$1" >"$message"; fi
# shellcheck disable=SC2094 # both sides only read the file
if ! LC_ALL=C tr -d '\000-\010\013-\037\177' <"$message" | cmp -s - "$message" ||
  LC_ALL=C grep -q $'\xc2[\x80-\x9f]' "$message"; then # C1 controls, as UTF-8
  die "the text holds a control character other than tab and newline; nothing was sent"
fi
text=$(<"$message") # drops the trailing newlines
[[ $text == *[![:space:]]* ]] || die "the text is empty; nothing was sent"
printf '%s' "$text" >"$message"

# The session name, as tmux rewrites it into a word, names the lock; the
# socket's own folder (0700, the user's) holds it.
# display-message succeeds with empty fields for a pane that does not
# exist, so the pane id it prints is what says the pane is there.
pane_facts() { tmux_ display-message -p -t "$pane" '#{pane_id} #{pane_dead} #{pane_in_mode} #{s/[^A-Za-z0-9_-]/_/:session_name} #{socket_path}' 2>/dev/null || true; }
facts=$(pane_facts)
read -r found _ _ session_key socket_path <<<"$facts"
[[ $found == "$pane" ]] || die "no pane $pane on socket $socket; nothing was sent"
lock="$socket_path.send-$session_key.lock"
{ exec 9>>"$lock"; } 2>/dev/null || die "cannot open the lock file $lock; nothing was sent"
flock -w "$lock_seconds" 9 || die "another message to session $session_key was still being typed after ${lock_seconds}s; nothing was sent"

facts=$(pane_facts)
read -r found dead in_mode _ <<<"$facts"
[[ $found == "$pane" ]] || die "pane $pane on socket $socket is gone; nothing was sent"
[[ $dead == 0 ]] || die "pane $pane on socket $socket is dead; nothing was sent"
if [[ $in_mode == 1 ]]; then tmux_ copy-mode -q -t "$pane"; fi

# A marker beside the lock names the pane while a text is typed but not yet
# submitted; every exit removes it, so one that is left says a sender was
# killed outright (SIGKILL) in between, its text maybe still in the agent's
# input, where this message would be appended to it. That text is submitted
# on its own first.
marker="$socket_path.send-$session_key.pending"
if [[ -f $marker ]]; then
  if [[ $(<"$marker") == "$pane" ]]; then
    tmux_ send-keys -t "$pane" "$key" 2>/dev/null || true
    printf 'send-message.sh: warning: a message to pane %s was cut off after it was typed; submitted it first\n' "$pane" >&2
    sleep "$(seconds "$settle")"
  fi
  rm -f -- "$marker"
fi

capture() { tmux_ capture-pane -p -t "$pane" 2>/dev/null || true; }
# Waits up to $confirm ms for the pane to differ from $1; sets $shown.
shown=''
changed_from() {
  local i
  for ((i = 0; i <= confirm / 50; i++)); do
    shown=$(capture)
    [[ $shown != "$1" ]] && return 0
    sleep 0.05
  done
  return 1
}
# Waits, at most half a second, until two captures 50 ms apart agree: the
# agent has drawn the whole paste. A pane that never settles (a clock) goes on.
settled() {
  local i next
  for ((i = 0; i < 10; i++)); do
    sleep 0.05
    next=$(capture)
    [[ $next == "$shown" ]] && return 0
    shown=$next
  done
}

before=$(capture)
# From the paste on, a signal (Ctrl+C, a TERM, a hangup) must not leave the
# text typed but unsubmitted, where the next message would be appended to
# it: the submit is finished first, within SETTLE_MS and three checks.
trap '' INT TERM HUP
printf '%s' "$pane" >"$marker"
pending=$marker
buffer="mosaic-send-$$-$RANDOM$RANDOM"
loaded=$buffer
tmux_ load-buffer -b "$buffer" - <"$message" || die "tmux could not load the text into a buffer; nothing was sent"
tmux_ paste-buffer -p -r -d -b "$buffer" -t "$pane" || die "tmux could not paste into pane $pane; nothing was sent"
loaded=''

sleep "$(seconds "$settle")"
changed_from "$before" || die "pasted the text into pane $pane, but the pane did not show it within ${confirm}ms; it was not submitted" 3
settled
typed=$shown
for attempt in 1 2 3; do
  tmux_ send-keys -t "$pane" "$key" 2>/dev/null || die "typed the text into pane $pane, but it was gone before $key could submit it" 3
  changed_from "$typed" && exit 0
  typed=$shown
  [[ $attempt == 3 ]] || sleep "$(seconds "$settle")"
done
die "typed the text into pane $pane and pressed $key three times, but the pane did not change: the agent may not have taken it" 3
