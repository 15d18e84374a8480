# probe: listens on TCP PORT and runs one router per connection (socat EXEC).
PORT=${PORT:-5988}

# Fail early (errexit) when the tools the listener needs are missing.
socat -V > /dev/null 2>&1
dash -c 'echo ok' > /dev/null 2>&1

# socat runs as a child of this shell (not exec'd) and reads PORT as written: a leading zero
# makes it octal (§5).
socat -T5 -t5 "TCP-LISTEN:$PORT,reuseaddr,fork" EXEC:router
