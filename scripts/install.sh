#!/usr/bin/env bash
# Installs dcr: binaries, systemd units, sysusers.d/tmpfiles.d entries, the example configuration,
# and man pages and shell completions where they exist.
#
#   scripts/install.sh DESTDIR PREFIX BUILD_DIR        (what `make install` runs)
#
# DESTDIR is a staging root for packagers (may be empty); PREFIX is where the files will live on
# the target system (/usr for a distribution package, /usr/local by default). The unit's ExecStart
# is rewritten to PREFIX/bin/dcrd, so the unit always starts the binary this script installed.
# An existing /etc/dcr/dcrd.conf is never overwritten.
#
# When installing straight onto a running systemd system (DESTDIR empty, as root) the script also
# creates the dcr user and /run/dcr and reloads systemd; it never creates keys, and never enables
# or starts anything.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 DESTDIR PREFIX BUILD_DIR" >&2
  exit 2
fi
destdir=${1%/}
prefix=${2%/}
build=$3
here=$(cd "$(dirname "$0")/.." && pwd)
deploy=$here/Deploy

case $prefix in
  /*) ;;
  *) echo "install.sh: PREFIX must be an absolute path, not '$prefix'" >&2; exit 2 ;;
esac
for exe in dcrd dcrctl; do
  if [ ! -x "$build/$exe" ]; then
    echo "install.sh: $build/$exe is missing; build first (make build-release)" >&2
    exit 1
  fi
done

# Where systemd looks: a distribution package (PREFIX=/usr) uses the directories libsystemd's
# pkg-config names; a local install uses PREFIX/lib/..., which systemd also searches for /usr/local.
if [ "$prefix" = /usr ]; then
  unitdir=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || true)
  sysusersdir=$(pkg-config --variable=sysusersdir systemd 2>/dev/null || true)
  tmpfilesdir=$(pkg-config --variable=tmpfilesdir systemd 2>/dev/null || true)
  : "${unitdir:=/lib/systemd/system}" "${sysusersdir:=/usr/lib/sysusers.d}" "${tmpfilesdir:=/usr/lib/tmpfiles.d}"
else
  unitdir=$prefix/lib/systemd/system
  sysusersdir=$prefix/lib/sysusers.d
  tmpfilesdir=$prefix/lib/tmpfiles.d
fi
bindir=$prefix/bin
mandir=$prefix/share/man

install -d -m 0755 "$destdir$bindir" "$destdir$unitdir" "$destdir$sysusersdir" "$destdir$tmpfilesdir"
install -m 0755 "$build/dcrd" "$build/dcrctl" "$destdir$bindir/"

# Deploy/dcrd.service names /usr/bin/dcrd so that it can be checked as it stands
# (systemd-analyze needs an absolute path); point it at the binary installed above.
sed -e "s#^ExecStart=/usr/bin/dcrd #ExecStart=$bindir/dcrd #" -e "s#^ExecStartPre=/usr/bin/dcrd #ExecStartPre=$bindir/dcrd #" "$deploy/dcrd.service" > "$destdir$unitdir/dcrd.service.tmp"
if ! grep -q "^ExecStart=$bindir/dcrd " "$destdir$unitdir/dcrd.service.tmp"; then
  echo "install.sh: could not set ExecStart in dcrd.service" >&2
  rm -f "$destdir$unitdir/dcrd.service.tmp"
  exit 1
fi
chmod 0644 "$destdir$unitdir/dcrd.service.tmp"
mv "$destdir$unitdir/dcrd.service.tmp" "$destdir$unitdir/dcrd.service"
install -m 0644 "$deploy/dcrd.socket" "$deploy/dcrd-tcp.socket" "$deploy/dcrd-tls.socket" "$deploy/dcrd-http.socket" "$destdir$unitdir/"
# The openssl commands for a room CA and certificates (Deploy/README.md, "TLS").
install -m 0755 "$deploy/dcr-tls-certs" "$destdir$bindir/dcr-tls-certs"
# The drop-in that lets the forwarder reach a central PostgreSQL (Deploy/README.md), as an example.
install -D -m 0644 "$deploy/dcrd-forward.conf" "$destdir$prefix/share/doc/dcr/dcrd-forward.conf"
install -m 0644 "$deploy/sysusers.d/dcr.conf" "$destdir$sysusersdir/dcr.conf"
install -m 0644 "$deploy/tmpfiles.d/dcr.conf" "$destdir$tmpfilesdir/dcr.conf"

# The example configuration, unless the operator already has one.
install -d -m 0750 "$destdir/etc/dcr"
if [ -e "$destdir/etc/dcr/dcrd.conf" ]; then
  echo "install.sh: keeping existing $destdir/etc/dcr/dcrd.conf"
else
  install -m 0640 "$deploy/dcrd.conf" "$destdir/etc/dcr/dcrd.conf"
fi

# Man pages, where written (Deploy/man/NAME.SECTION).
for page in "$deploy"/man/*.[1-8]; do
  [ -e "$page" ] || continue
  section=${page##*.}
  install -d -m 0755 "$destdir$mandir/man$section"
  install -m 0644 "$page" "$destdir$mandir/man$section/"
done

# Shell completions: from dcrctl itself (swift-argument-parser), or the committed copies in
# Deploy/completions (`make completions`) when the binary cannot run here (cross-staging).
completion() { # shell, target path, committed copy
  local out
  if out=$("$build/dcrctl" --generate-completion-script "$1" 2>/dev/null) && [ -n "$out" ]; then
    install -d -m 0755 "$(dirname "$2")"
    printf '%s\n' "$out" > "$2"
    chmod 0644 "$2"
  elif [ -f "$deploy/completions/$3" ]; then
    install -D -m 0644 "$deploy/completions/$3" "$2"
  else
    echo "install.sh: no $1 completion script for dcrctl; skipped"
  fi
}
completion bash "$destdir$prefix/share/bash-completion/completions/dcrctl" dcrctl.bash
completion zsh "$destdir$prefix/share/zsh/site-functions/_dcrctl" _dcrctl
completion fish "$destdir$prefix/share/fish/vendor_completions.d/dcrctl.fish" dcrctl.fish

# On a live systemd system: what a package's postinst would do.
if [ -z "$destdir" ] && [ "$(id -u)" -eq 0 ] && [ -d /run/systemd/system ]; then
  systemd-sysusers "$sysusersdir/dcr.conf"
  systemd-tmpfiles --create "$tmpfilesdir/dcr.conf"
  if [ ! -e /etc/dcr/pseudonym.key ]; then
    echo "install.sh: dcrd.service needs /etc/dcr/pseudonym.key (mode 0600, root); see /etc/dcr/dcrd.conf"
  fi
  systemctl daemon-reload
  echo "install.sh: enable with: systemctl enable --now dcrd.socket dcrd-tcp.socket dcrd.service"
fi
echo "install.sh: installed dcr under $destdir$prefix (units in $destdir$unitdir)"
