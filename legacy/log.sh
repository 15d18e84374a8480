# log LEVEL MESSAGE [EXTRA...]: one coloured line on stderr.
# MESSAGE is escaped text (colours are the characters `\033[..m`, see colors.sh); every
# reset inside it becomes the level's colour so a highlighted value returns to the level's
# colour, not to the terminal default. The line goes through printf %b, so backslash
# escapes in MESSAGE are interpreted; EXTRA arguments reuse the format, one line each.
log() {
  log_level=$1
  shift
  case $log_level in
    trace) log_colour=$MAGENTA ;;
    debug) log_colour=$BLUE ;;
    info) log_colour=$GREEN ;;
    notice) log_colour=$CYAN ;;
    warn) log_colour=$YELLOW ;;
    error) log_colour=$RED ;;
    *) log_colour=$WHITE ;;
  esac
  log_rest=$1
  shift
  log_text=
  while :; do
    case $log_rest in
      *"$RESET"*)
        log_text=$log_text${log_rest%%"$RESET"*}$log_colour
        log_rest=${log_rest#*"$RESET"}
        ;;
      *) break ;;
    esac
  done
  printf '%b\n' "$log_colour$log_text$log_rest$RESET" "$@" >&2
}

