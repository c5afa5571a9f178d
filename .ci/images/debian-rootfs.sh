#!/usr/bin/env bash
# debian-rootfs.sh OUT.tar: a minimal Debian trixie root (debootstrap's minbase variant), as a tarball that
# `docker import` turns into the base of every CI image (.ci/docker.sh). .ci/docker.sh caches the tarball under a
# hash of this script, so changing the script makes a new root and leaving it alone reuses the old one.
set -euo pipefail
out=$1
mirror=${SWITCHBOARD_CI_DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d /var/tmp/switchboard-rootfs.XXXXXX)
trap 'rm -rf "$work"' EXIT
command -v debootstrap >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
debootstrap --variant=minbase trixie "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
# The images install their packages with apt-get; nothing of the host's apt cache or lists goes in.
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
echo "deb $mirror trixie main" >"$work/root/etc/apt/sources.list"
tar -C "$work/root" --numeric-owner -cf "$out.partial" .
mv "$out.partial" "$out"
