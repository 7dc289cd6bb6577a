#!/usr/bin/env bash
# setup-oracles.sh — the one entry point CI calls to get the test oracles ready:
# a strict loopback Postfix (SMTP :2525, implicit TLS :4465, sendmail → Maildir)
# and a local-tests-only spamd on 127.0.0.1:7830. Python 3 (stdlib `email`) and
# php-cli are installed too (the PHP mail() migration tests need them).
#
# Idempotent: packages already present are not reinstalled, Postfix is reloaded
# when running, spamd is left alone when it answers. Needs root (apt, postfix).
# Detailed output goes to $ORACLE_SETUP_LOG; stdout gets a short summary.
#
#   bash scripts/setup-oracles.sh          # typical CI call
#   ORACLE_CLEAN=1 bash scripts/setup-oracles.sh   # also empty Maildir + queue
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${ORACLE_STATE_DIR:-/var/tmp/mailhygiene-oracles}"
LOG="${ORACLE_SETUP_LOG:-$STATE_DIR/setup.log}"
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PATH

mkdir -p "$STATE_DIR" "$(dirname "$LOG")"
: >"$LOG"
say() { echo "[setup-oracles] $*"; echo "[setup-oracles] $*" >>"$LOG"; }
fail() {
  echo "[setup-oracles] FAILED: $*" >&2
  echo "---- last 40 lines of $LOG ----" >&2
  tail -n 40 "$LOG" >&2
  exit 1
}
t_start=$(date +%s)

if [ "$(id -u)" != 0 ]; then
  # apt-get and postfix need root; on a developer machine, ask sudo once
  if command -v sudo >/dev/null 2>&1; then exec sudo -E bash "${BASH_SOURCE[0]}" "$@"; fi
  fail "must run as root (apt-get, postfix)"
fi

# ---------------------------------------------------------------- packages
# php-cli: PHP mail() migration tests; openssl: TLS cert for Postfix;
# spamd is its own package on Debian 12 (SpamAssassin 4.0).
PACKAGES=(postfix spamassassin spamc spamd php-cli python3 ca-certificates openssl)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  say "installing: ${missing[*]} (log: $LOG)"
  # Postfix must not ask questions and must not be configured by debconf:
  # setup-postfix.sh writes its own main.cf/master.cf.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "postfix postfix/mailname string mx.oracle.test" | debconf-set-selections
  # Keep maintainer scripts from starting services (postfix, spamd) with the
  # distribution's defaults: containers usually ship a policy-rc.d that exits
  # 101; when this machine has none, put one in place for the install only.
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  cleanup_policy() { if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi; }
  trap cleanup_policy EXIT
  t0=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update >>"$LOG" 2>&1 || fail "apt-get update"
  apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}" \
    >>"$LOG" 2>&1 || fail "apt-get install ${missing[*]}"
  cleanup_policy
  trap - EXIT
  say "packages installed in $(($(date +%s) - t0)) s"
else
  say "packages already installed: ${PACKAGES[*]}"
fi

# ---------------------------------------------------------------- services
t0=$(date +%s)
MAILDIR=$(bash "$HERE/setup-postfix.sh" 2>>"$LOG" | tail -n 1) || fail "setup-postfix.sh"
say "postfix ready in $(($(date +%s) - t0)) s: smtp 127.0.0.1:${ORACLE_SMTP_PORT:-2525}, Maildir $MAILDIR"

t0=$(date +%s)
bash "$HERE/setup-spamassassin.sh" >>"$LOG" 2>&1 || fail "setup-spamassassin.sh"
say "spamd ready in $(($(date +%s) - t0)) s: 127.0.0.1:${ORACLE_SPAMD_PORT:-7830}"

say "python3 $(python3 -c 'import sys; print(sys.version.split()[0])'), php $(php -r 'echo PHP_VERSION;')"
say "all oracles ready in $(($(date +%s) - t_start)) s (details: $LOG)"
