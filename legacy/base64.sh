# base64 encode STRING | base64 decode STRING   (RFC 4648 alphabet, `=` padding)
mode=${1:?}

case $mode in
  encode)
    # The bytes come through od (decimal, one line per 16 bytes) and awk builds the text.
    printf '%s' "${2:?}" | od -An -tu1 | awk '
      BEGIN { abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" }
      { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) b[n++] = $i + 0 }
      END {
        if (n == 0) exit
        out = ""
        for (i = 0; i < n; i += 3) {
          v = b[i] * 65536 + (i + 1 < n ? b[i + 1] : 0) * 256 + (i + 2 < n ? b[i + 2] : 0)
          out = out substr(abc, int(v / 262144) % 64 + 1, 1) substr(abc, int(v / 4096) % 64 + 1, 1)
          out = out (i + 1 < n ? substr(abc, int(v / 64) % 64 + 1, 1) : "=")
          out = out (i + 2 < n ? substr(abc, v % 64 + 1, 1) : "=")
        }
        print out
      }'
    ;;
  decode)
    # awk turns every 4 characters into 3 bytes written as \xHH escapes for printf.
    printf "$(printf '%s' "${2:?}" | awk '
      BEGIN { abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" }
      {
        s = s $0
      }
      END {
        v = 0; k = 0
        for (i = 1; i <= length(s); i++) {
          c = index(abc, substr(s, i, 1)) - 1
          if (c < 0) c = 0
          v = v * 64 + c; k++
          if (k == 4) {
            printf "\\x%02X\\x%02X\\x%02X", int(v / 65536) % 256, int(v / 256) % 256, v % 256
            v = 0; k = 0
          }
        }
        if (k > 1) {
          v = v * 64 ^ (4 - k)
          printf "\\x%02X", int(v / 65536) % 256
          if (k > 2) printf "\\x%02X", int(v / 256) % 256
        }
      }')\n"
    ;;
esac
