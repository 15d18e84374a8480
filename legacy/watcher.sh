# watcher: polls every peer found behind PEERS_DNS and reports state changes to Telegram.
STATE_DIR=${STATE_DIR:-/var/lib/sentinella}
if ! mkdir -p "$STATE_DIR" 2> /dev/null; then
  STATE_DIR="$HOME/.local/$(basename "$STATE_DIR")"
  mkdir -p "$STATE_DIR"
fi

for required in PEERS_DNS TG_TOKEN TG_CHAT_ID; do
  eval "required_value=\${$required:-}"
  if [ -z "$required_value" ]; then
    echo "$required not set" >&2
    exit 3
  fi
done

SELF=${SELF:-}
PEERS_PORT=${PEERS_PORT:-5988}
PEERS_SCHEME=${PEERS_SCHEME:-http}
PEERS_TOKEN=${PEERS_TOKEN:-}
TIMEOUT=${TIMEOUT:-5}
POLLING_INTERVAL_SEC=${POLLING_INTERVAL_SEC:-3}
SPAM=${SPAM:-0}

trap 'rm -f "$tmpb"' EXIT INT HUP

# This host's own addresses: SELF when set, else `hostname -I`.
local_addresses() {
  if [ -n "$SELF" ]; then
    printf '%s\n' "$SELF"
  else
    hostname -I
  fi
}

# Peer URLs, one a line: every address of PEERS_DNS except this host's own. The addresses are
# read through $(...), so trailing newlines go (SELF=$'10.0.0.2\n' makes 10.0.0.2 local).
resolve_peers() {
  local_ips=$(local_addresses)
  for address in $(getent hosts "$PEERS_DNS" | awk '{ print $1 }'); do
    if ! is_local "$address" "$local_ips"; then
      echo "$PEERS_SCHEME://$address:$PEERS_PORT"
    fi
  done
}

# is_local ADDRESS WORDS: ` ADDRESS ` occurs in ` WORDS ` (only spaces separate words).
is_local() {
  case " $2 " in
    *" $1 "*) return 0 ;;
  esac
  return 1
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

# GET the peer's summary into $tmpb; prints the status code (000 when the request failed).
# The command goes through sh -c with PEERS_TOKEN pasted inside single quotes (D12).
fetch() {
  auth=
  if [ -n "$PEERS_TOKEN" ]; then
    auth="-H 'Authorization: Basic $PEERS_TOKEN'"
  fi
  sh -c "curl -sS -m \"\$1\" -w '%{http_code}' -o \"\$2\" $auth \"\$3\"" \
    sh "$TIMEOUT" "$tmpb" "$1"
}

# report URL STATE GOOD TOTAL CODE: the message, the state file, the notification.
report() {
  url=$1
  state=$2
  if [ "$state" = up ]; then
    message="OK  : $url [${3:?}/${4:?}]"
  else
    message="FAIL: $url [${3:?}/${4:?}]"
    if [ -s "$tmpb" ]; then
      failed=$(failures "$tmpb")
      if [ -n "$failed" ]; then
        message="$message — $failed"
      fi
    fi
  fi

  current="$state:$3/$4:$5"
  sum=$(printf '%s' "$url" | cksum)
  state_file="$STATE_DIR/${sum%% *}.state"
  last=$(cat "$state_file" 2> /dev/null) || last=
  if [ "$current" != "$last" ] || [ "$SPAM" = 1 ]; then
    notify "$message"
    printf '%s' "$current" > "$state_file"
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

while :; do
  log info "polling peers via ${WHITE}$PEERS_DNS${RESET} every ${WHITE}$POLLING_INTERVAL_SEC${RESET}s"
  peers=$(resolve_peers)
  if [ -z "$peers" ]; then
    log warn "no peers resolved from ${WHITE}$PEERS_DNS${RESET} (all IPs are local or DNS returned nothing)"
  fi

  echo "$peers" | while IFS= read -r url; do
    if [ -z "$url" ]; then
      continue
    fi
    tmpb=$(mktemp)
    code=$(fetch "$url") || code=000

    state=down
    total=0
    good=0
    if [ "$code" = 200 ]; then
      # jq prints the first values even when garbage follows them (then it fails): kept.
      counts=$(jq -r '.status.summary | "\(.total) \(.ok)"' "$tmpb") || :
      if [ -n "$counts" ]; then
        total=${counts%% *}
        good=${counts#* }
      fi
      if [ "$total" -eq "$good" ]; then
        state=up
      fi
    fi

    report "$url" "$state" "$good" "$total" "$code"
    rm -f "$tmpb"
  done

  sleep "$POLLING_INTERVAL_SEC"
done
