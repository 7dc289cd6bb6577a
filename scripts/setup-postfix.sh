#!/usr/bin/env bash
# setup-postfix.sh — install (if missing), configure and (re)start a loopback-only
# Postfix that acts as a strict *receiving* MTA for the oracle tests.
# Idempotent: rewrites main.cf/master.cf every time, then `postfix start`, or
# `postfix reload` when it is already running. No systemd needed.
#
#  A) SMTP on 127.0.0.1:$ORACLE_SMTP_PORT (and [::1]), STARTTLS offered, plus
#     implicit TLS on $ORACLE_SMTPS_PORT; mail for $ORACLE_DOMAINS goes into ONE
#     Maildir: $ORACLE_MAIL_BASE/sink/ (files appear in sink/new/).
#  B) /usr/sbin/sendmail -i -f SENDER -- RCPT delivers into the same Maildir.
# Nothing ever leaves the machine: other domains are refused at RCPT (SMTP) or
# bounced by the error(8) transport (sendmail), and no DNS lookups are made.
#
# Env (defaults in brackets):
#   ORACLE_SMTP_PORT [2525]  ORACLE_SMTPS_PORT [4465] (empty = off)
#   ORACLE_MAIL_BASE [/var/tmp/mailhygiene-oracles/mail]
#   ORACLE_DOMAINS   ["oracle.test example.com example.org example.net"]
#   ORACLE_HOSTNAME  [mx.oracle.test]
#   ORACLE_STRICT_MIME [1]  strict_7bit_headers, strict_8bitmime_body,
#                           strict_mime_encoding_domain (0 = off, e.g. for RFC 6532 headers)
#   ORACLE_CLEAN [0]        1 = empty the Maildir and the queue first
# Progress goes to stderr; the last line of stdout is the Maildir path.
set -euo pipefail

PORT="${ORACLE_SMTP_PORT:-2525}"
SMTPS_PORT="${ORACLE_SMTPS_PORT-4465}"
MAIL_BASE="${ORACLE_MAIL_BASE:-/var/tmp/mailhygiene-oracles/mail}"
DOMAINS="${ORACLE_DOMAINS:-oracle.test example.com example.org example.net}"
MYHOST="${ORACLE_HOSTNAME:-mx.oracle.test}"
STRICT_MIME="${ORACLE_STRICT_MIME:-1}"
CLEAN="${ORACLE_CLEAN:-0}"
LOGFILE=/var/log/postfix-oracle.log
TLS_DIR=/etc/postfix/oracle-tls
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

log() { echo "[setup-postfix] $*" >&2; }
t0=$(date +%s)

# ---------------------------------------------------------------- install
need=()
[ -x /usr/sbin/postfix ] || need+=(postfix)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  log "installing: ${need[*]}"
  # "No configuration": debconf writes no main.cf and the package does not start
  # Postfix; this script owns the configuration.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "postfix postfix/mailname string $MYHOST" | debconf-set-selections
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then   # keep invoke-rc.d from starting services
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y \
    --no-install-recommends "${need[@]}" >&2 || {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y \
      --no-install-recommends "${need[@]}" >&2
  }
  if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

# ---------------------------------------------------------------- mailbox owner
if ! getent passwd vmail >/dev/null; then
  getent group vmail >/dev/null || groupadd --system vmail
  useradd --system --gid vmail --home-dir /nonexistent --no-create-home \
    --shell /usr/sbin/nologin vmail
fi
VUID=$(id -u vmail); VGID=$(id -g vmail)
mkdir -p "$MAIL_BASE"
chown vmail:vmail "$MAIL_BASE"
chmod 755 "$MAIL_BASE"
# the virtual(8) delivery agent runs as vmail: every parent must be traversable
d=$(dirname "$MAIL_BASE"); while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done

# ---------------------------------------------------------------- TLS cert
if [ ! -s "$TLS_DIR/cert.pem" ] || [ ! -s "$TLS_DIR/key.pem" ]; then
  mkdir -p "$TLS_DIR"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$MYHOST" \
    -addext "subjectAltName=DNS:$MYHOST,DNS:localhost,IP:127.0.0.1,IP:::1" \
    -keyout "$TLS_DIR/key.pem" -out "$TLS_DIR/cert.pem" 2>/dev/null
  chmod 600 "$TLS_DIR/key.pem"
fi

# ---------------------------------------------------------------- main.cf
# set-permissions is slow (seconds): only on the first configuration by us
first_config=1
grep -q 'Written by mailhygiene scripts/setup-postfix.sh' /etc/postfix/main.cf 2>/dev/null && first_config=0
if [ "$STRICT_MIME" = 1 ]; then STRICT=yes; else STRICT=no; fi
# CI containers sometimes have no IPv6 loopback; Postfix refuses to start then.
if [ -s /proc/net/if_inet6 ] && grep -q '^0\{31\}1 ' /proc/net/if_inet6; then
  PROTOCOLS=all; NETWORKS='127.0.0.0/8 [::1]/128'
else
  PROTOCOLS=ipv4; NETWORKS='127.0.0.0/8'
fi
cat >/etc/postfix/main.cf <<CF
# Written by mailhygiene scripts/setup-postfix.sh (test oracle). Loopback only; never relays.
compatibility_level = 3.6
myhostname = $MYHOST
mydomain = oracle.test
myorigin = \$myhostname
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relayhost =
biff = no
append_dot_mydomain = no
readme_directory = no
inet_interfaces = loopback-only
inet_protocols = $PROTOCOLS
mynetworks_style = host
mynetworks = $NETWORKS
maillog_file = $LOGFILE

# ---- never send anything off this machine, never look anything up
default_transport = error:5.7.1 oracle: outbound mail is disabled
relay_transport = error:5.7.1 oracle: outbound mail is disabled
smtp_dns_support_level = disabled
smtpd_peername_lookup = no

# ---- do not "fix" messages received over SMTP (no Date/Message-ID/From added,
#      no address rewriting): the delivered file is what the client sent plus
#      trace headers. (Mail from /usr/sbin/sendmail is always local: Postfix adds
#      a missing Date/Message-Id/From there; that cannot be switched off.)
local_header_rewrite_clients =
remote_header_rewrite_domain =
always_add_missing_headers = no

# ---- delivery: every test domain -> one Maildir (trailing slash = Maildir)
virtual_mailbox_domains = $DOMAINS
virtual_mailbox_base = $MAIL_BASE
virtual_mailbox_maps = static:sink/
virtual_uid_maps = static:$VUID
virtual_gid_maps = static:$VGID
virtual_minimum_uid = 1
virtual_mailbox_limit = 0
mailbox_size_limit = 0
message_size_limit = 52428800

# ---- strict SMTP dialogue, like a careful receiving server
smtputf8_enable = yes
smtpd_helo_required = yes
strict_rfc821_envelopes = yes
smtpd_forbid_bare_newline = reject
smtpd_forbid_bare_newline_exclusions =
smtpd_forbid_unauth_pipelining = yes
smtpd_delay_reject = yes
smtpd_helo_restrictions = reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname
smtpd_sender_restrictions = reject_non_fqdn_sender
smtpd_relay_restrictions = reject_non_fqdn_recipient, reject_unauth_destination
smtpd_recipient_restrictions = reject_non_fqdn_recipient, reject_unlisted_recipient
smtpd_data_restrictions = reject_unauth_pipelining, reject_multi_recipient_bounce
smtpd_reject_unlisted_sender = no

# ---- strict MIME content checks in cleanup(8) (ORACLE_STRICT_MIME=$STRICT_MIME)
strict_7bit_headers = $STRICT
strict_8bitmime_body = $STRICT
strict_mime_encoding_domain = $STRICT

# ---- TLS (self-signed): STARTTLS on :$PORT, implicit TLS on :${SMTPS_PORT:-off}
smtpd_tls_cert_file = $TLS_DIR/cert.pem
smtpd_tls_key_file = $TLS_DIR/key.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
CF

# ---------------------------------------------------------------- master.cf
# chroot is "n" everywhere: without the init script nothing populates a jail.
{
  echo "# Written by mailhygiene scripts/setup-postfix.sh (test oracle)."
  echo "$PORT     inet  n       -       n       -       -       smtpd"
  if [ -n "$SMTPS_PORT" ]; then
    echo "$SMTPS_PORT     inet  n       -       n       -       -       smtpd"
    echo "  -o smtpd_tls_wrappermode=yes"
    echo "  -o smtpd_tls_security_level=encrypt"
  fi
  cat <<'MASTER'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
MASTER
} >/etc/postfix/master.cf

[ -f /etc/mailname ] || echo "$MYHOST" >/etc/mailname
touch "$LOGFILE"
if [ "$first_config" = 1 ]; then postfix set-permissions >/dev/null 2>&1 || true; fi
postfix check >&2

# ---------------------------------------------------------------- (re)start
if [ "$CLEAN" = 1 ]; then
  postsuper -d ALL >/dev/null 2>&1 || true
  rm -rf "$MAIL_BASE/sink"
fi
if postfix status >/dev/null 2>&1; then
  log "postfix running -> reload"
  postfix reload >&2 2>&1
else
  log "starting postfix (no systemd: 'postfix start')"
  postfix start >&2 2>&1
fi

# wait for the 220 banner (a reload re-spawns smtpd; give it up to ~10 s)
banner=
for _ in $(seq 1 100); do
  if { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null; then
    if read -r -t 2 banner <&3 && [[ "$banner" == 220* ]]; then
      printf 'QUIT\r\n' >&3 || true
      exec 3>&- 3<&-
      break
    fi
    { exec 3>&- 3<&-; } 2>/dev/null || true
  fi
  banner=
  sleep 0.1
done
[[ "$banner" == 220* ]] || { log "SMTP port $PORT did not answer"; tail -20 "$LOGFILE" >&2; exit 1; }

log "ready in $(($(date +%s) - t0)) s: smtp://127.0.0.1:$PORT (banner: ${banner%$'\r'})"
log "log: $LOGFILE ; sendmail: /usr/sbin/sendmail -i -f SENDER -- RCPT@oracle.test"
echo "$MAIL_BASE/sink"
