#!/usr/bin/env bash
# Installs the system packages mosaic and its tests need on a fresh Debian
# machine: tmux >= 3.2 (the fleet's runtime), and for the tests that drive a
# real systemd --user manager (and a journal) in a mount namespace, systemd
# and util-linux (unshare, nsenter, setpriv; flock for the message tools).
# Node >= 20.5 and npm are expected to be present. Safe to run again: it
# installs only what is missing.
set -euo pipefail

need=()
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v ps >/dev/null 2>&1 || need+=(procps)
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
{ [ -x /lib/systemd/systemd ] && [ -x /lib/systemd/systemd-journald ] && command -v journalctl; } >/dev/null 2>&1 || need+=(systemd)
{ command -v unshare && command -v nsenter && command -v setpriv && command -v flock; } >/dev/null 2>&1 || need+=(util-linux)

if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  echo "installing: ${need[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi

tmux -V
node --version
