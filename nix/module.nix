# NixOS module for sentinèlla: a drop-in for the shell originals' module.
#
# The option paths, types, defaults and generated units are exactly those of the deployed
# module (../../shared/nix-interface.md in the project notes; summarised in nix/README.md),
# so an existing configuration evaluates unchanged and only the package behind ExecStart
# changes. The design note's flat `hectic.sentinella.*` names are accepted as aliases (end
# of this file); they only ever set the real options.
{
  config,
  lib,
  pkgs,
  ...
}:

let
  inherit (lib)
    concatStringsSep
    filterAttrs
    mkEnableOption
    mkIf
    mkMerge
    mkOption
    types
    ;

  cfg = config.hectic.services."sentinèlla";
  alias = config.hectic.sentinella;
  package = pkgs.callPackage ./package.nix { };

  # `Environment=` holds only non-empty lines: an unset option (null, []) writes nothing,
  # and the programs treat an empty value as unset anyway.
  environmentOf = attrs: filterAttrs (_: value: value != null && value != "") attrs;
  words = list: if list == [ ] then null else concatStringsSep " " list;
  # toString, not interpolation: a path literal must not be copied into the world-readable
  # store (AUTH_FILE and environment files hold secrets); it is passed as the path it names.
  pathOrNull = value: if value == null then null else toString value;

  # Settings both units share (nix-interface.md, "Both units").
  unitFor = program: environmentFile: {
    after = [ "network.target" ];
    wantedBy = [ "multi-user.target" ];
    serviceConfig = {
      Type = "simple";
      ExecStart = "${package}/bin/${program}";
      Restart = "always";
      RestartSec = "5s";
      TimeoutStopSec = "30s";
      KillSignal = "SIGTERM";
      KillMode = "mixed";
      RemainAfterExit = false;
      StandardOutput = "journal";
      StandardError = "journal";
    }
    // lib.optionalAttrs (environmentFile != null) { EnvironmentFile = toString environmentFile; };
  };

  # An alias option: null (unset) unless the configuration uses the flat name.
  aliasOption =
    type: target:
    mkOption {
      type = types.nullOr type;
      default = null;
      description = "Alias of `hectic.services.\"sentinèlla\".${target}` (design-note name).";
    };
in
{
  options.hectic.services."sentinèlla" = {
    probe = {
      enable = mkEnableOption "the sentinèlla probe (HTTP health endpoint, unit sentinella-probe)";
      port = mkOption {
        type = types.port;
        default = 5988;
        description = "TCP port the probe listens on (PORT).";
      };
      urls = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "URLs that /status checks (URLS, joined by one space).";
      };
      volumes = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Paths that /disk reports (VOLUMES); empty means every mount point.";
      };
      authFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = "File of `user:pass` lines (AUTH_FILE); when set, requests need Basic Auth.";
      };
      environmentFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = "systemd EnvironmentFile (may hold PORT, URLS, VOLUMES, AUTH_FILE).";
      };
    };

    watcher = {
      enable = mkEnableOption "the sentinèlla watcher (polls the peers, alerts on Telegram; unit sentinella-watcher)";
      peersDns = mkOption {
        type = types.str;
        description = "DNS name whose A records are the peers (PEERS_DNS).";
      };
      self = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "Space-separated addresses of this node (SELF); default: detected.";
      };
      peersPort = mkOption {
        type = types.port;
        default = 5988;
        description = "Port every peer probe listens on (PEERS_PORT).";
      };
      peersScheme = mkOption {
        type = types.str;
        default = "http";
        description = "URL scheme for peer probes (PEERS_SCHEME).";
      };
      pollingIntervalSec = mkOption {
        type = types.int;
        default = 3;
        description = "Seconds between polling rounds (POLLING_INTERVAL_SEC).";
      };
      tgToken = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "Telegram bot token (TG_TOKEN). It ends up in the store: prefer environmentFile.";
      };
      tgChatId = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "Telegram chat id (TG_CHAT_ID).";
      };
      environmentFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = "systemd EnvironmentFile (TG_TOKEN, TG_CHAT_ID, PEERS_TOKEN, SELF, PEERS_DNS; also TIMEOUT, SPAM).";
      };
      # Issue 11 (README "Large meshes"): off by default, the originals' behaviour.
      digest = mkOption {
        type = types.bool;
        default = false;
        description = "At most one Telegram message per round, holding every change of the round (DIGEST=1).";
      };
      alertmanagerUrls = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Alertmanager base URLs (ALERTMANAGER_URLS, joined by one space); when set, alerts go to them instead of Telegram.";
      };
      metricsFile = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "File rewritten after every round with the watcher's metrics, for node_exporter's textfile collector (METRICS_FILE).";
      };
    };
  };

  # The design note's flat names. `enable` turns on both units; `port` sets both the probe's
  # port and the port the watcher polls (one port for the whole cluster, as the note has it).
  options.hectic.sentinella = {
    enable = mkEnableOption "both sentinèlla units (alias: sets probe.enable and watcher.enable)";
    peersDns = aliasOption types.str "watcher.peersDns";
    self = aliasOption types.str "watcher.self";
    port = aliasOption types.port "probe.port and watcher.peersPort";
    urls = aliasOption (types.listOf types.str) "probe.urls";
    volumes = aliasOption (types.listOf types.str) "probe.volumes";
    tgToken = aliasOption types.str "watcher.tgToken";
    tgChatId = aliasOption types.str "watcher.tgChatId";
    pollingIntervalSec = aliasOption types.int "watcher.pollingIntervalSec";
  };

  config = mkMerge [
    {
      hectic.services."sentinèlla" = mkMerge [
        (mkIf alias.enable {
          probe.enable = true;
          watcher.enable = true;
        })
        (mkIf (alias.peersDns != null) { watcher.peersDns = alias.peersDns; })
        (mkIf (alias.self != null) { watcher.self = alias.self; })
        (mkIf (alias.port != null) {
          probe.port = alias.port;
          watcher.peersPort = alias.port;
        })
        (mkIf (alias.urls != null) { probe.urls = alias.urls; })
        (mkIf (alias.volumes != null) { probe.volumes = alias.volumes; })
        (mkIf (alias.tgToken != null) { watcher.tgToken = alias.tgToken; })
        (mkIf (alias.tgChatId != null) { watcher.tgChatId = alias.tgChatId; })
        (mkIf (alias.pollingIntervalSec != null) { watcher.pollingIntervalSec = alias.pollingIntervalSec; })
      ];
    }

    (mkIf cfg.probe.enable {
      systemd.services.sentinella-probe = unitFor "probe" cfg.probe.environmentFile // {
        environment = environmentOf {
          PORT = toString cfg.probe.port;
          URLS = words cfg.probe.urls;
          VOLUMES = words cfg.probe.volumes;
          AUTH_FILE = pathOrNull cfg.probe.authFile;
        };
      };
    })

    (mkIf cfg.watcher.enable {
      systemd.services.sentinella-watcher =
        let
          unit = unitFor "watcher" cfg.watcher.environmentFile;
        in
        unit
        // {
          serviceConfig = unit.serviceConfig // {
            StateDirectory = "sentinella";
          };
          environment = environmentOf {
            PEERS_DNS = cfg.watcher.peersDns;
            SELF = cfg.watcher.self;
            PEERS_PORT = toString cfg.watcher.peersPort;
            PEERS_SCHEME = cfg.watcher.peersScheme;
            POLLING_INTERVAL_SEC = toString cfg.watcher.pollingIntervalSec;
            TG_TOKEN = cfg.watcher.tgToken;
            TG_CHAT_ID = cfg.watcher.tgChatId;
            STATE_DIR = "/var/lib/sentinella";
            DIGEST = if cfg.watcher.digest then "1" else null;
            ALERTMANAGER_URLS = words cfg.watcher.alertmanagerUrls;
            METRICS_FILE = cfg.watcher.metricsFile;
          };
        };
    })
  ];
}
