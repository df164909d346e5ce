#!/usr/bin/env bash
# Installs a pinned Node LTS (22 or 24) from the npm registry's node-linux-<arch> package, the official binaries,
# into .tools/node-<major>/ and prints its bin directory. No vendor download is reachable here; the registry is.
# Usage: PATH="$(bash scripts/setup-node.sh 24):$PATH" npm test
set -euo pipefail
cd "$(dirname "$0")/.."

major=${1:-}
arch=$(uname -m)
case "$arch" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "setup-node: no pinned Node for the architecture $arch" >&2; exit 1 ;;
esac

# The version and the registry's sha512 of each pinned package; raise both together.
case "$major-$arch" in
  22-x64) version=22.23.5 integrity=sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw== ;;
  22-arm64) version=22.23.5 integrity=sha512-e1LOUGKVruPGuLVutn8+Cgm5pI1APm4Kvh+zbb/qe/ZpD9s+TQby5iUgZOWmPpbSKpj0Td8DP1N0NEnXasHizg== ;;
  24-x64) version=24.22.3 integrity=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA== ;;
  24-arm64) version=24.22.3 integrity=sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw== ;;
  *) echo "usage: scripts/setup-node.sh 22|24  (the Node LTS majors the project is tested on)" >&2; exit 2 ;;
esac

dir=.tools/node-$major
stamp=$dir/installed-$version-$arch
if [ -f "$stamp" ] && [ -x "$dir/bin/node" ]; then
  echo "$PWD/$dir/bin"
  exit 0
fi

echo "setup-node: installing Node $version ($arch) from the npm registry into $dir" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
package=node-linux-$arch@$version
tarball=$(cd "$work" && npm pack "$package" --silent)
actual=$(node -e 'const { createHash } = require("node:crypto"); const data = require("node:fs").readFileSync(process.argv[1]);
  console.log("sha512-" + createHash("sha512").update(data).digest("base64"))' "$work/$tarball")
if [ "$actual" != "$integrity" ]; then
  echo "setup-node: $package does not match its pinned sha512 ($actual)" >&2
  exit 1
fi
tar -xzf "$work/$tarball" -C "$work"
# The package's bin/node is the official binary; npm and npx come from the machine's npm, which is what
# installed node_modules, so every Node runs the same dependencies.
"$work/package/bin/node" -e 'process.exit(process.version === "v" + process.argv[1] ? 0 : 1)' "$version" || {
  echo "setup-node: the binary in $package is not Node $version" >&2
  exit 1
}
# Unpacked beside the target and put in place by a rename, so nothing sharing .tools ever runs a half-written Node.
mkdir -p .tools
staged=$(mktemp -d "$dir.XXXXXX")
chmod 755 "$staged"
mv "$work/package/bin" "$staged/bin"
touch "$staged/installed-$version-$arch"
rm -rf "$dir"
mv "$staged" "$dir"
echo "$PWD/$dir/bin"
