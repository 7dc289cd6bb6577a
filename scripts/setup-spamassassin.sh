#!/usr/bin/env bash
# setup-spamassassin.sh — install SpamAssassin (if missing) and run `spamd --local`
# on 127.0.0.1:$ORACLE_SPAMD_PORT so tests can score a message with `spamc -R`
# in 0.1–0.3 s instead of ~2 s for `spamassassin -t -L`.
#
# Local tests only (--local: no DNS/RBL/URIBL/razor/pyzor), Bayes and
# auto-learning off, no user preferences: a score depends only on the message.
# Rules are the ones Debian ships (sa-update needs the network; not used).
# The site config is a private copy of /etc/spamassassin plus our overrides, so
# the system's configuration is not touched.
#
# Idempotent: when spamd already answers PING on the port, it is left running.
# ORACLE_SPAMD_RESTART=1 restarts it (e.g. after changing the config).
#   stop: kill "$(cat /var/tmp/mailhygiene-oracles/sa/spamd.pid)"
set -euo pipefail

PORT="${ORACLE_SPAMD_PORT:-7830}"
SA_DIR="${ORACLE_SA_DIR:-/var/tmp/mailhygiene-oracles/sa}"
SITE="$SA_DIR/site"
PIDFILE="$SA_DIR/spamd.pid"
SYSLOG="$SA_DIR/spamd.log"
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

log() { echo "[setup-spamassassin] $*" >&2; }
t0=$(date +%s)

# ---------------------------------------------------------------- install
need=()
for p in spamassassin spamc spamd; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing: ${need[*]}"
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then   # the spamd package must not start its own daemon
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  # --no-install-recommends: skips sa-compile (gcc + rule compilation, ~60 s)
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y \
    --no-install-recommends "${need[@]}" >&2 || {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y \
      --no-install-recommends "${need[@]}" >&2
  }
  if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

# ---------------------------------------------------------------- private site config
mkdir -p "$SA_DIR"
rm -rf "$SITE.new"
mkdir -p "$SITE.new"
cp -a /etc/spamassassin/. "$SITE.new/"
cat >"$SITE.new/zz-mailhygiene-oracle.cf" <<'CF'
# mailhygiene test oracle: results must depend on the message only.
use_bayes 0
bayes_auto_learn 0
report_safe 0
CF
rm -rf "$SITE"
mv "$SITE.new" "$SITE"

ping_spamd() { spamc -d 127.0.0.1 -p "$PORT" -K >/dev/null 2>&1; }

if [ "${ORACLE_SPAMD_RESTART:-0}" = 1 ] && [ -s "$PIDFILE" ]; then
  kill "$(cat "$PIDFILE")" 2>/dev/null || true
  for _ in $(seq 1 50); do ping_spamd || break; sleep 0.1; done
fi

if ping_spamd; then
  log "spamd already answers on 127.0.0.1:$PORT"
else
  # a stale pid file from a crashed spamd would make it refuse to start
  if [ -s "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then rm -f "$PIDFILE"; fi
  log "starting spamd --local on 127.0.0.1:$PORT (log: $SYSLOG)"
  # --syslog=FILE: otherwise spamd logs to 127.0.0.1:514/udp.
  # -u nobody: spamd would drop root privileges anyway; --nouser-config keeps
  # it from looking for ~/.spamassassin.
  spamd --local --listen="127.0.0.1:$PORT" --allowed-ips=127.0.0.1 \
    --nouser-config --siteconfigpath="$SITE" -u nobody -g nogroup \
    --min-children=1 --max-children=4 \
    --syslog="$SYSLOG" --pidfile="$PIDFILE" --daemonize </dev/null >/dev/null 2>&1
  ok=0
  for _ in $(seq 1 300); do   # rule parsing takes ~2 s; allow 30 s on slow CI
    if ping_spamd; then ok=1; break; fi
    sleep 0.1
  done
  if [ "$ok" != 1 ]; then
    log "spamd did not answer on 127.0.0.1:$PORT"
    tail -n 30 "$SYSLOG" >&2 2>/dev/null || true
    exit 1
  fi
fi

# one real scan, so a broken rule set fails here and not in the tests
report=$(printf 'From: a@example.com\r\nTo: b@example.org\r\nSubject: ping\r\n\r\nping\r\n' |
  spamc -d 127.0.0.1 -p "$PORT" -x -R)
case "$report" in
  */*) ;;
  *) log "unexpected spamc output: $report"; exit 1 ;;
esac
log "ready in $(($(date +%s) - t0)) s: spamc -d 127.0.0.1 -p $PORT -R (pid $(cat "$PIDFILE" 2>/dev/null || echo ?))"
