# watcher-srv: upstream's later watcher (docs/behaviour.md §12): the peers are the SRV records
# of PEERS_SRV, each polled on its record's port at its target's first address; messages say
# `TARGET (IP)`, state files are named by the cksum of TARGET. form_encode, notify and
# failures are the earlier version's (watcher.sh), unchanged.
STATE_DIR=${STATE_DIR:-/var/lib/sentinella}
if ! mkdir -p "$STATE_DIR" 2> /dev/null; then
  STATE_DIR="$HOME/.local/$(basename "$STATE_DIR")"
  mkdir -p "$STATE_DIR"
fi

for required in PEERS_SRV TG_TOKEN TG_CHAT_ID; do
  eval "required_value=\${$required:-}"
  if [ -z "$required_value" ]; then
    echo "$required not set" >&2
    exit 3
  fi
done

SELF=${SELF:-}
PEERS_SCHEME=${PEERS_SCHEME:-http}
PEERS_TOKEN=${PEERS_TOKEN:-}
TIMEOUT=${TIMEOUT:-5}
POLLING_INTERVAL_SEC=${POLLING_INTERVAL_SEC:-3}
SPAM=${SPAM:-0}
# The commands used, named so that tests can replace them.
DIG=${DIG:-dig}
GETENT=${GETENT:-getent}

trap 'rm -f "$tmpb"' EXIT INT HUP

# This host's own addresses, one line: SELF when set, else every address `ip` lists (IPv4 and
# IPv6, loopback included), each without its /prefix.
local_addresses() {
  if [ -n "$SELF" ]; then
    printf '%s\n' "$SELF"
  else
    ip -o addr show | awk '{ address = $4; sub(/\/.*/, "", address); printf "%s%s", sep, address; sep = " " } END { print "" }'
  fi
}

# is_local ADDRESS WORDS: ` ADDRESS ` occurs in ` WORDS ` (only spaces separate words).
is_local() {
  case " $2 " in
    *" $1 "*) return 0 ;;
  esac
  return 1
}

# Peers, one a line: `ADDRESS PORT TARGET` for every SRV record of PEERS_SRV in dig's order
# (priority and weight ignored) whose target has an address that is not this host's.
srv_peers() {
  if ! answer=$($DIG +short +time=3 +tries=2 SRV "$PEERS_SRV" 2>&1); then
    log warn "dig SRV ${WHITE}$PEERS_SRV${RESET} failed: $answer"
    return 0
  fi
  # Lines of exactly four fields, `priority weight port target`; one trailing dot removed.
  records=$(printf '%s\n' "$answer" | awk 'NF == 4 { target = $4; sub(/\.$/, "", target); print $3, target }')
  if [ -z "$records" ]; then
    log warn "no SRV records parsed; raw output: $answer"
    return 0
  fi
  local_ips=$(local_addresses)
  printf '%s\n' "$records" | while read -r port target; do
    address=$($GETENT hosts "$target" | awk 'NR == 1 { print $1 }')
    if [ -z "$address" ]; then
      log warn "could not resolve ${WHITE}$target${RESET}"
    elif ! is_local "$address" "$local_ips"; then
      echo "$address $port $target"
    fi
  done
}

# application/x-www-form-urlencoded: unreserved bytes kept, space as +, the rest %XX.
form_encode() {
  printf '%s' "$1" | od -An -tu1 -v | awk '
    BEGIN { keep = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~" }
    {
      for (i = 1; i <= NF; i++) {
        b = $i + 0
        c = sprintf("%c", b)
        if (b == 32) printf "+"
        else if (b < 128 && index(keep, c) > 0) printf "%s", c
        else printf "%%%02X", b
      }
    }'
}

notify() {
  message=$1
  if ! curl -sS -o /dev/null -m "$TIMEOUT" \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-binary "chat_id=$TG_CHAT_ID&text=$(form_encode "$message")" \
    "https://api.telegram.org/bot$TG_TOKEN/sendMessage"; then
    log error "notify failed: $message"
  fi
  log notice "notify message: ${WHITE}$message${RESET}"
}

# GET URL/status into $tmpb; prints the status code (000 when the request failed). The token
# is its own argument (no shell in between) and curl's stderr is discarded.
fetch() {
  if [ -n "$PEERS_TOKEN" ]; then
    curl -sS -m "$TIMEOUT" -w '%{http_code}' -o "$tmpb" -H "Authorization: Basic $PEERS_TOKEN" "$1/status" 2> /dev/null
  else
    curl -sS -m "$TIMEOUT" -w '%{http_code}' -o "$tmpb" "$1/status" 2> /dev/null
  fi
}

# The failing checks of a summary body, scanned line by line.
failures() {
  awk '/"ok":false/ {
    n = split($0, parts, /"code":/)
    code = parts[n]
    sub(/[,}].*/, "", code)
    items = items sep "checks(" code ")"
    sep = " "
  }
  END { printf "%s", items }' "$1"
}

# report LABEL TARGET STATE GOOD TOTAL CODE: the message, the state file (named by TARGET),
# the notification or the `no change` line.
report() {
  label=$1
  if [ "$3" = up ]; then
    message="OK  : $label [$4/$5]"
  else
    message="FAIL: $label [$4/$5]"
    if [ -s "$tmpb" ]; then
      failed=$(failures "$tmpb")
      if [ -n "$failed" ]; then
        message="$message — $failed"
      fi
    fi
  fi

  current="$3:$4/$5:$6"
  sum=$(printf '%s' "$2" | cksum)
  state_file="$STATE_DIR/${sum%% *}.state"
  last=$(cat "$state_file" 2> /dev/null) || last=
  if [ "$current" != "$last" ] || [ "$SPAM" = 1 ]; then
    notify "$message"
    printf '%s' "$current" > "$state_file"
  else
    log info "no change: ${WHITE}$message${RESET}"
  fi
}

while :; do
  log info "polling peers via SRV ${WHITE}$PEERS_SRV${RESET} every ${WHITE}$POLLING_INTERVAL_SEC${RESET}s"
  peers=$(srv_peers)
  if [ -z "$peers" ]; then
    log warn "no peers resolved from ${WHITE}$PEERS_SRV${RESET} (all targets local or DNS empty)"
  fi

  echo "$peers" | while read -r address port target; do
    if [ -z "$address" ]; then
      continue
    fi
    tmpb=$(mktemp)
    code=$(fetch "$PEERS_SCHEME://$address:$port") || code=000

    state=down
    total=0
    good=0
    if [ "$code" = 200 ]; then
      # The earlier version's filter: a /status body has no `status` key, so this is `null null`.
      counts=$(jq -r '.status.summary | "\(.total) \(.ok)"' "$tmpb" 2> /dev/null) || :
      total=${counts%% *}
      good=${counts#* }
      case $total in '' | *[!0-9]*) total=0 ;; esac
      case $good in '' | *[!0-9]*) good=0 ;; esac
      if [ "$total" -eq "$good" ]; then
        state=up
      fi
    fi

    report "$target ($address)" "$target" "$state" "$good" "$total" "$code"
    rm -f "$tmpb"
  done

  sleep "$POLLING_INTERVAL_SEC"
done
