# shellcheck shell=bash
# Sourced by the container scripts. container_engine prints the engine to use:
# $CONTAINER_ENGINE, else docker when its daemon answers, else podman; it fails when
# there is none.
container_engine() {
  if [[ -n ${CONTAINER_ENGINE:-} ]]; then
    echo "$CONTAINER_ENGINE"
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    echo docker
  elif command -v podman >/dev/null; then
    echo podman
  else
    return 1
  fi
}
