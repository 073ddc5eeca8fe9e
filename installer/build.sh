#!/usr/bin/env bash
# Build the one-folder bundle (PyInstaller) and the Debian package, then self-test the bundle in a clean
# environment (no Python packages visible). Run from anywhere:  bash installer/build.sh
# Output: build/installer/dist/mmwb/ (bundle) and build/installer/mm-workbench_<version>_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
OUT=$REPO/build/installer
VERSION=$(.venv/bin/python -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])")
.venv/bin/python -m pip install -q -e ".[package]" 2>&1 | grep -v "is ignored" || true

echo "== PyInstaller bundle"
t0=$(date +%s)
[ "${SKIP_PYINSTALLER:-0}" = "1" ] || .venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/work" installer/mmwb.spec
BUNDLE=$OUT/dist/mmwb
echo "built in $(( $(date +%s) - t0 )) s; size: $(du -sh "$BUNDLE" | cut -f1)"
# torch itself (the package or its libraries) must not be in the bundle; rapidocr's small
# `inference_engine/pytorch` wrapper module is not torch.
leak=$(find "$BUNDLE/_internal" -maxdepth 1 \( -name "torch" -o -name "torch-*" -o -name "libtorch*" -o -name "training" \); \
       find "$BUNDLE" -name "libtorch*.so*" -o -name "libc10*.so*")
if [ -n "$leak" ]; then echo "torch or training/ leaked into the bundle: $leak" >&2; exit 1; fi

echo "== self-test of the bundle in a clean environment"
CLEAN_HOME=$(mktemp -d)
env -i PATH=/usr/bin:/bin HOME="$CLEAN_HOME" LANG=C.UTF-8 "$BUNDLE/mmwb" --self-test

echo "== Debian package"
PKG=$OUT/deb/mm-workbench_${VERSION}_amd64
rm -rf "$PKG"
mkdir -p "$PKG/DEBIAN" "$PKG/opt/mm-workbench" "$PKG/usr/bin" "$PKG/usr/share/applications" \
         "$PKG/usr/share/icons/hicolor/256x256/apps" "$PKG/usr/share/mime/packages"
cp -a "$BUNDLE/." "$PKG/opt/mm-workbench/"
cat > "$PKG/usr/bin/mmwb" <<'SH'
#!/bin/sh
exec /opt/mm-workbench/mmwb "$@"
SH
chmod 755 "$PKG/usr/bin/mmwb"
cp resources/icons/mmwb.png "$PKG/usr/share/icons/hicolor/256x256/apps/mm-workbench.png"
cp installer/linux/mm-workbench.desktop "$PKG/usr/share/applications/"
cp installer/linux/mm-workbench-mime.xml "$PKG/usr/share/mime/packages/mm-workbench.xml"
SIZE_KB=$(du -sk "$PKG" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@SIZE@/$SIZE_KB/" installer/linux/control > "$PKG/DEBIAN/control"
cp installer/linux/postinst installer/linux/postrm "$PKG/DEBIAN/"
chmod 755 "$PKG/DEBIAN/postinst" "$PKG/DEBIAN/postrm"
dpkg-deb --build --root-owner-group -Zgzip -z6 "$PKG" "$OUT/mm-workbench_${VERSION}_amd64.deb" >/dev/null
echo "deb: $OUT/mm-workbench_${VERSION}_amd64.deb ($(du -h "$OUT/mm-workbench_${VERSION}_amd64.deb" | cut -f1))"
