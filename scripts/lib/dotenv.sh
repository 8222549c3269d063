# shellcheck shell=bash
# Sourced by the operations scripts: reads one value from the checkout's .env.

# env_value <NAME> [default]: NAME's value in ./.env, or the default when unset or empty.
env_value() {
  local value
  value=$(sed -n "s/^$1=//p" .env 2>/dev/null | tail -n 1)
  printf '%s' "${value:-${2:-}}"
}
