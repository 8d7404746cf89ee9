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
# Exit status: send-message.sh's (0 delivered, 1 nothing sent, 2 usage,
# 3 typed but not confirmed).
set -euo pipefail

die() {
  printf 'agent-send.sh: %s\n' "$1" >&2
  exit "${2:-1}"
}
usage() { die "usage: agent-send.sh -L SOCKET [-S LABEL] [-p PANE] [-k KEY] [-s SETTLE_MS] [--] AGENT TEXT|-" 2; }

label_pattern='^[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,127}$'
socket='' label='' expected='' key=Enter settle=200
while getopts ':L:S:p:k:s:' opt; do
  case $opt in
    L) socket=$OPTARG ;;
    S) label=$OPTARG ;;
    p) expected=$OPTARG ;;
    k) key=$OPTARG ;;
    s) settle=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[[ $# -eq 2 ]] || usage
agent=$1 text=$2
[[ $socket =~ ^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$ ]] || die "-L: not a socket name: '$socket'" 2
[[ $agent =~ ^[a-z0-9][a-z0-9_-]{0,63}$ ]] || die "not an agent name: '$agent'" 2
[[ -z $expected || $expected =~ ^%[0-9]+$ ]] || die "-p: not a pane id (%N): '$expected'" 2

tmux_() { env -u TMUX -u TMUX_PANE tmux -u -L "$socket" "$@"; }

# One call: every pane of the session, with the recorded pane id and the
# socket's path. The recorded id is the pane= of the session's @mosaic
# label (or, when that is unset, the @mosaic-pane an older mosaic wrote).
# It is the agent's to rewrite, so only `%` and digits of it are read
# (after a letter, so an empty one is still a field), and it must name a
# pane of this very session.
# A window linked into other sessions too is listed in each: its pane is no one's own.
format='#{pane_id} #{pane_dead} #{window_linked} m#{!=:#{@mosaic},} v#{s/[^%0-9]//:#{s/^v2 (.* )?pane=(%[0-9]+)( .*)?$/\2/:@mosaic}} r#{s/[^%0-9]//:@mosaic-pane} #{socket_path}'
rows=$(tmux_ list-panes -s -t "=$agent" -F "$format" 2>/dev/null) ||
  die "no session $agent on socket $socket; nothing was sent"
own='' own_dead='' own_linked='' count=0 recorded='' socket_path=''
while read -r id dead linked has_label v2 legacy path; do
  if [[ $has_label == m1 ]]; then rec=${v2#v}; else rec=${legacy#r}; fi
  count=$((count + 1)) recorded=$rec socket_path=$path
  if [[ $id == "$rec" ]]; then own=$id own_dead=$dead own_linked=$linked; fi
done <<<"$rows"
if [[ -z $own && ! $recorded =~ ^%[0-9]+$ && $count == 1 ]]; then
  read -r own own_dead own_linked _ <<<"$rows"
fi
[[ -n $own ]] || die "cannot tell agent $agent's own pane among the $count of its session; nothing was sent"
[[ $own_linked == 0 ]] || die "agent $agent's pane $own is in a window linked into another session; nothing was sent"
[[ $own_dead == 0 ]] || die "agent $agent's pane $own is dead; nothing was sent"
[[ -z $expected || $expected == "$own" ]] || die "agent $agent's pane is now $own, not $expected: it was restarted; nothing was sent"

if [[ -z $label ]]; then
  host=$(uname -n)
  label="$host:operator"
  # Inside a pane of this fleet, the sender is that pane's session.
  if [[ -n ${TMUX_PANE:-} && ${TMUX%%,*} == "$socket_path" && $TMUX_PANE =~ ^%[0-9]+$ ]]; then
    session=$(tmux_ display-message -p -t "$TMUX_PANE" '#{session_name}' 2>/dev/null || true)
    [[ -n $session ]] && label="$host:$session"
  fi
fi
[[ $label =~ $label_pattern ]] || die "not a source label: '$label' (letters, digits and ._:@/+- starting with a letter or digit; pass one with -S)" 2

work=$(mktemp -d "${TMPDIR:-/tmp}/mosaic-agent-send.XXXXXX" 2>/dev/null) || die "cannot make a temporary folder in ${TMPDIR:-/tmp}; nothing was sent"
trap 'rm -rf -- "$work"' EXIT
body=$work/body
if [[ $text == - ]]; then cat >"$body"; else printf '%s' "$text" >"$body"; fi
LC_ALL=C grep -q '[^[:space:]]' "$body" || die "the message is empty; nothing was sent"
# A line of the message that reads as a header would pass for a message of its own.
if LC_ALL=C grep -q '^\[from ' "$body"; then
  die "a line of the message starts with '[from ', which would read as a header of its own; nothing was sent"
fi

# A signal to the whole group (Ctrl+C, `timeout`, a closed terminal) reaches
# send-message.sh too, which alone knows whether the text was typed: it dies
# before the paste and finishes the submit after it. So this script waits
# for it and ends with its status, whatever signal came (a handler, not an
# ignore, so send-message.sh keeps the default until it chooses).
trap ':' INT TERM HUP
status=0
{
  printf '[from %s] ' "$label"
  cat "$body"
} | "$(dirname -- "${BASH_SOURCE[0]}")/send-message.sh" -L "$socket" -t "$own" -k "$key" -s "$settle" -- - || status=$?
exit "$status"
