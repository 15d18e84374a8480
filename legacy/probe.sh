# probe: listens on TCP PORT and runs one router per connection (socat EXEC).
PORT=${PORT:-5988}

# Fail early (errexit) when the tools the listener needs are missing.
socat -V > /dev/null 2>&1
dash -c 'echo ok' > /dev/null 2>&1

exec socat -T5 -t5 "TCP4-LISTEN:$PORT,reuseaddr,fork" EXEC:router
