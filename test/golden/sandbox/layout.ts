// Fixed paths inside every golden sandbox. Cases refer to these so that both sides see the
// same paths (state files, auth files and df figures appear in the output byte for byte).
//
//   /mnt              tmpfs (16m): the sandbox's own scratch space, hides the host's /mnt
//   /mnt/sandbox      work dir and cwd of the program; etc/ holds the bind-mounted files
//   /mnt/sandbox/state   the conventional STATE_DIR of watcher cases (not created: the
//                        watcher creates it; cases that need it present list it in `files`)
//   /mnt/sandbox/home    HOME for cases that need one (created)
//   /mnt/vol1         tmpfs size=1m, empty          -> df: 1024 0 1024 0%
//   /mnt/vol2         tmpfs size=2m, 100 KiB file   -> df: 2048 100 1948 5%
//   /mnt/vol2/sub     a directory (not a mount point) on vol2
//   /var/lib          tmpfs, empty: hides the host's (a host running sentinella has
//                     /var/lib/sentinella, the watcher's default STATE_DIR)
export const SANDBOX = {
  root: '/mnt',
  work: '/mnt/sandbox',
  etc: '/mnt/sandbox/etc',
  state: '/mnt/sandbox/state',
  home: '/mnt/sandbox/home',
  vol1: '/mnt/vol1',
  vol2: '/mnt/vol2',
  vol2Sub: '/mnt/vol2/sub',
  vol2File: '/mnt/vol2/data',
} as const;

export const SANDBOX_PATH = '/usr/local/bin:/usr/bin:/bin';
/** Where the test CA lands inside the sandbox (also NODE_EXTRA_CA_CERTS). */
export const SANDBOX_CA = '/mnt/sandbox/etc/ca.pem';
