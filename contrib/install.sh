#!/usr/bin/env bash
# `make install` and `make uninstall`. Every file installed is listed, relative to the prefix,
# in <prefix>/share/govaudit/install-manifest, with the folders the install created; uninstall
# removes exactly those files, then those folders if they are empty, and nothing else.
#
#   contrib/install.sh install ROOT BUILD_DIR [SYSTEMD]   # ROOT = $(DESTDIR)$(PREFIX)
#   contrib/install.sh uninstall ROOT
set -euo pipefail
cd "$(dirname "$0")/.."
mode=$1 root=${2%/}
manifest_rel=share/govaudit/install-manifest

if [ "$mode" = uninstall ]; then
  manifest="$root/$manifest_rel"
  [ -f "$manifest" ] || { echo "uninstall: no $manifest: nothing installed there by make install" >&2; exit 1; }
  # Folders the install created, deepest first, removed only when nothing else was put in them.
  mapfile -t dirs < <(grep '^dir ' "$manifest" | sed 's/^dir //' | sort -r)
  mapfile -t files < <(grep '^file ' "$manifest" | sed 's/^file //')
  for f in "${files[@]}"; do rm -f -- "$root/$f"; done
  for d in "${dirs[@]}"; do rmdir -- "$root/$d" 2>/dev/null || true; done
  echo "uninstall: removed what $manifest listed"
  exit 0
fi

build=$3 systemd=${4:-}
bin="$build/govaudit"
[ -x "$bin" ] || { echo "install: $bin is not built" >&2; exit 1; }
manifest="$root/$manifest_rel"
# Written as it goes, so an install that fails midway can still be uninstalled; a reinstall adds
# to the manifest it finds (the folders the first install created stay listed).
record() { echo "$1" >>"$manifest"; }
made_dir() {   # mkdir -p, recording each folder it creates
  local d=$1 missing=()
  while [ ! -d "$root/$d" ]; do missing+=("$d"); [ "$d" = "${d%/*}" ] && break; d=${d%/*}; done
  mkdir -p "$root/$1"
  for m in "${missing[@]}"; do record "dir $m"; done
}
put() {        # put MODE SOURCE DEST(relative to root)
  made_dir "$(dirname "$3")"
  install -m "$1" "$2" "$root/$3"
  record "file $3"
}

mkdir -p "$root"
missing_manifest_dirs=()
d=$(dirname "$manifest_rel")
while [ ! -d "$root/$d" ]; do missing_manifest_dirs+=("dir $d"); [ "$d" = "${d%/*}" ] && break; d=${d%/*}; done
mkdir -p "$(dirname "$manifest")"
touch "$manifest"
chmod 0644 "$manifest"
for m in "${missing_manifest_dirs[@]}"; do record "$m"; done
record "file $manifest_rel"
put 0755 "$bin" bin/govaudit
# The default policy, and the example inventory that comes with it.
while IFS= read -r f; do put 0644 "Policies/$f" "share/govaudit/Policies/$f"; done < <(cd Policies && find . -type f | sed 's|^\./||' | sort)
put 0644 contrib/config.example.yaml share/govaudit/config.example.yaml

# Man pages from the argument parser's own description of every verb (generate-manual).
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/man"
"$build/generate-manual" "$bin" --multi-page --output-directory "$tmp/man" >/dev/null
for page in "$tmp"/man/*.1; do put 0644 "$page" "share/man/man1/$(basename "$page")"; done

# Shell completions where each shell looks under a prefix.
"$bin" --generate-completion-script bash >"$tmp/govaudit.bash"
"$bin" --generate-completion-script zsh >"$tmp/_govaudit"
"$bin" --generate-completion-script fish >"$tmp/govaudit.fish"
put 0644 "$tmp/govaudit.bash" share/bash-completion/completions/govaudit
put 0644 "$tmp/_govaudit" share/zsh/site-functions/_govaudit
put 0644 "$tmp/govaudit.fish" share/fish/vendor_completions.d/govaudit.fish

if [ -n "$systemd" ] && [ "$systemd" != 0 ]; then
  # The units name the installed program by its prefix (without DESTDIR: where it will run).
  for unit in contrib/systemd/*.service contrib/systemd/*.timer; do
    sed "s|@BINDIR@|${PREFIX_FOR_UNITS:-$root}/bin|g" "$unit" >"$tmp/$(basename "$unit")"
    put 0644 "$tmp/$(basename "$unit")" "lib/systemd/system/$(basename "$unit")"
  done
fi

sort -u -o "$manifest" "$manifest"
echo "install: $(grep -c '^file ' "$manifest") files into $root (listed in $manifest)"
