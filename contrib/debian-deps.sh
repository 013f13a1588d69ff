#!/bin/sh
# Installs what hardrun needs to build and to run its whole test suite on Debian 12.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
        gcc libc6-dev meson ninja-build pkg-config python3 scdoc \
        libseccomp-dev libcap-dev libyajl-dev libmount-dev \
        runc crun busybox-static jq strace libcap2-bin valgrind ca-certificates clang-format git \
        clang libclang-rt-14-dev \
        docker.io containerd podman yamllint man-db mmdebstrap \
        golang-go golang-github-opencontainers-runc-dev golang-github-opencontainers-specs-dev \
        python3-grpcio python3-protobuf protobuf-compiler containernetworking-plugins iproute2 \
        dpkg-dev debhelper fakeroot bash-completion logrotate >/dev/null
