# router: answers one HTTP request on stdin/stdout (socat runs one per connection).
#   GET /        {"status":<status>,"disk":<disk>}
#   GET /status  URL checks with curl
#   GET /disk    df -P of every VOLUMES word
URLS=${URLS:-}
VOLUMES=${VOLUMES:-$(df -P | awk 'NR > 1 { print $6 }')}
TIMEOUT=${TIMEOUT:-5}
AUTH_FILE=${AUTH_FILE:-}
CR=$(printf '\r')

# One token per non-empty line of AUTH_FILE, re-read on every request.
AUTH_TOKENS=
if [ -n "$AUTH_FILE" ] && [ -r "$AUTH_FILE" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    if [ -n "$line" ]; then
      AUTH_TOKENS="$AUTH_TOKENS $(base64 encode "$line")"
    fi
  done < "$AUTH_FILE"
fi

respond() { # respond STATUS TYPE BODY
  length=$(printf '%s' "$3" | wc -c)
  printf 'HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "$length" "$3"
}

unauthorized() {
  printf 'HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 24\r\n'
  printf 'WWW-Authenticate: Basic realm="minimal", charset="UTF-8"\r\nConnection: close\r\n\r\n'
  printf '{"error":"unauthorized"}'
}

# The checks run in the router's own process (not in a `$(...)` subshell), so when socat's
# idle limit ends the router (SIGTERM) during a check, nothing more is printed: neither the
# check's log line nor the response (§5).
check_urls() { # sets STATUS_BODY
  total=0
  ok=0
  checks=
  for url in $URLS; do
    # curl's stderr is discarded (§4.7): even its complaint about a bad TIMEOUT is silent.
    result=$(curl -sS -m "$TIMEOUT" -o /dev/null -w '%{http_code} %{time_total}' "$url" 2> /dev/null) \
      || result='000 0'
    code=${result%% *}
    time_s=${result#* }
    log info "$url -> $code"
    case $code in
      2* | 3*) passed=true ;;
      *) passed=false ;;
    esac
    total=$((total + 1))
    if [ "$passed" = true ]; then
      ok=$((ok + 1))
    fi
    check="{\"url\":\"$url\",\"code\":$code,\"time_s\":$time_s,\"ok\":$passed}"
    checks=${checks:+$checks,}$check
  done
  STATUS_BODY=$(printf '{"checks":[%s],"summary":{"total":%s,"ok":%s}}' "$checks" "$total" "$ok")
}

disk_json() {
  printf '{"volumes":['
  sep=
  for volume in $VOLUMES; do
    # The second line of df's report into the positional parameters, df's stderr discarded.
    # A path df cannot resolve leaves none, and taking the first one fails under nounset
    # (`1: parameter not set`, exit 2): the defect D2 of the contract (§4.8).
    set -- $(df -P "$volume" 2> /dev/null | awk 'NR == 2')
    filesystem=$1
    printf '%s{"mount":"%s","size_blocks":%s,"used":%s,"avail":%s,"use_percent":"%s"}' \
      "$sep" "$6" "$2" "$3" "$4" "$5"
    sep=,
  done
  printf ']}'
}

IFS= read -r request || exit 0

presented=
while IFS= read -r header; do
  case $header in
    '' | "$CR") break ;;
    'Authorization: Basic '*)
      presented=$(printf '%s' "${header#'Authorization: Basic '}" | tr -d '\r\n')
      ;;
  esac
done

if [ -n "$AUTH_TOKENS" ]; then
  authorized=false
  for token in $AUTH_TOKENS; do
    if [ "$token" = "$presented" ]; then
      authorized=true
    fi
  done
  if [ "$authorized" = false ]; then
    unauthorized
    exit 0
  fi
fi

case $request in
  'GET / '*)
    check_urls
    # disk_json's subshell may die half-way (D2): printf still closes the summary.
    body=$(printf '{"status":%s,"disk":%s}' "$STATUS_BODY" "$(disk_json)")
    respond '200 OK' application/json "$body"
    ;;
  'GET /status '*)
    check_urls
    respond '200 OK' application/json "$STATUS_BODY"
    ;;
  'GET /disk '*)
    body=$(disk_json)
    respond '200 OK' application/json "$body"
    ;;
  *)
    respond '404 Not Found' text/plain 'Not found
'
    ;;
esac
