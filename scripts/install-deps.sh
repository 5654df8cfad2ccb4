#!/usr/bin/env bash
# Installs pyward's build and test dependencies from Debian 12 packages
# (run as root). Nothing else is downloaded.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  g++ cmake make pkg-config ca-certificates \
  libarchive-dev zlib1g-dev libssl-dev libbz2-dev liblzma-dev \
  libfmt-dev libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libsimdjson-dev \
  libsqlite3-dev libcurl4-openssl-dev libvectorscan-dev libyara-dev \
  libgtest-dev libgmock-dev libbenchmark-dev \
  clang-14 libclang-rt-14-dev \
  python3 python3-jsonschema python3-packaging \
  >/dev/null
