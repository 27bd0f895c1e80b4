# build-aux/setup-common.sh — shared by build-aux/run and build-aux/test.
# Installs the Debian 12 packages Tasklanes needs (only the missing ones)
# and configures a Meson build directory.
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later

TL_SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# What building and running the app needs.
TL_BUILD_PACKAGES=(
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libgtksourceview-5-dev
  shared-mime-info desktop-file-utils hicolor-icon-theme adwaita-icon-theme
  fonts-noto-cjk fonts-cantarell
  python3
)

# What the test suite needs on top: a virtual display and a session bus,
# the data validators, json-glib for reading reports back, clang with its
# sanitizer runtime for the second build, Python with aiohttp to run the
# generated asyncio programs; ImageMagick and a compositing manager for
# build-aux/screenshots.
TL_TEST_PACKAGES=(
  xvfb xauth dbus dbus-daemon dbus-x11 at-spi2-core
  imagemagick xcompmgr
  appstream libxml2-utils libjson-glib-dev python3 python3-aiohttp
  clang libclang-rt-14-dev
  python3-aiohttp
  locales
)

tl_say () {
  printf '\033[1m==> %s\033[0m\n' "$*"
}

tl_as_root () {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "Installing packages needs root: run this as root or install sudo." >&2
    return 1
  fi
}

# tl_install_packages PKG… — apt-get install of the packages not yet installed.
tl_install_packages () {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "These packages are missing and there is no apt-get to install them: ${missing[*]}" >&2
    return 1
  fi
  tl_say "Installing ${missing[*]}"
  tl_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  tl_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# tl_ensure_locale NAME — compiles a locale (ko_KR.UTF-8) unless the C
# library has it already: the tests format numbers as a Korean system does.
tl_ensure_locale () {
  local name=$1
  local normalized
  normalized=$(echo "${name}" | sed 's/\.UTF-8$/.utf8/I')
  if locale -a 2>/dev/null | grep -qix "${normalized}"; then
    return 0
  fi
  tl_say "Compiling the ${name} locale"
  tl_as_root localedef -i "${name%%.*}" -f UTF-8 "${name}"
}

# tl_configure BUILDDIR [MESON-OPTION…] — meson setup, or reconfigure when
# the options changed.
tl_configure () {
  local builddir=$1
  shift
  if [ -f "$builddir/build.ninja" ]; then
    meson configure "$builddir" "$@" >/dev/null
  else
    meson setup "$builddir" "$TL_SOURCE_DIR" "$@"
  fi
}
