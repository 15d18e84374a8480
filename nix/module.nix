# NixOS module for sentinèlla: a drop-in for the shell originals' module.
#
# The option paths, types, defaults and generated units are exactly those of the deployed
# module (docs/behaviour.md §11; summarised in nix/README.md),
# so an existing configuration evaluates unchanged and only the package behind ExecStart
# changes. The design note's flat `hectic.sentinella.*` names are aliases that set the real
# options (`aliases` below).
#
# To add a setting: one entry in `settings` (its option and the variable it becomes); to add
# a design-note name: one entry in `aliases`.
{
  config,
  lib,
  options,
  pkgs,
  ...
}:

let
  inherit (lib)
    concatLists
    concatMapStringsSep
    concatStringsSep
    filterAttrs
    getAttrFromPath
    head
    mapAttrs
    mapAttrs'
    mapAttrsToList
    mkEnableOption
    mkIf
    mkMerge
    mkOption
    nameValuePair
    optionalAttrs
    setAttrByPath
    types
    ;

  cfg = config.hectic.services."sentinèlla";
  package = pkgs.callPackage ./package.nix { };

  # Each program's settings: one entry per option, with mkOption's arguments and `env`, the
  # variable it becomes. The value is written as its toString (lists joined by one space; a
  # path literal as the path it names, never copied into the world-readable store: AUTH_FILE
  # and environment files hold secrets), or as `toEnv value` when an entry has `toEnv`.
  # `Environment=` holds only non-empty values: null, [] and "" write nothing, and the
  # programs treat an empty value as unset anyway. An entry with `unlessSet = "<option>"` is
  # neither read nor written while that option is non-null (so it need not be defined).
  settings = {
    probe = {
      port = {
        env = "PORT";
        type = types.port;
        default = 5988;
        description = "TCP port the probe listens on (PORT).";
      };
      urls = {
        env = "URLS";
        type = types.listOf types.str;
        default = [ ];
        description = "URLs that /status checks (URLS, joined by one space).";
      };
      volumes = {
        env = "VOLUMES";
        type = types.listOf types.str;
        default = [ ];
        description = "Paths that /disk reports (VOLUMES); empty means every mount point.";
      };
      authFile = {
        env = "AUTH_FILE";
        type = types.nullOr types.path;
        default = null;
        description = "File of `user:pass` lines (AUTH_FILE); when set, requests need Basic Auth.";
      };
      # The port's additions (docs/behaviour.md §10): unset by default, the originals' behaviour.
      certDays = {
        env = "CERT_DAYS";
        type = types.nullOr types.ints.unsigned;
        default = null;
        description = "Days: an https check whose certificate expires within them is not ok, and every https check reports `cert_days` in /status (CERT_DAYS).";
      };
      statusPage = {
        env = "STATUS_PAGE";
        type = types.bool;
        default = false;
        # false writes nothing (an unset STATUS_PAGE), true writes STATUS_PAGE=1.
        toEnv = value: if value then "1" else null;
        description = "GET /ui answers an HTML page of this node's checks and volumes (STATUS_PAGE=1).";
      };
    };
    watcher = {
      peersDns = {
        env = "PEERS_DNS";
        type = types.str;
        unlessSet = "peersSrv";
        description = "DNS name whose A records are the peers (PEERS_DNS); not needed with peersSrv.";
      };
      # The SRV version (docs/behaviour.md §12); PEERS_SRV wins over PEERS_DNS in the watcher too.
      peersSrv = {
        env = "PEERS_SRV";
        type = types.nullOr types.str;
        default = null;
        description = "DNS name whose SRV records are the peers, each polled on its record's port (PEERS_SRV); when set, peersDns and peersPort are not used.";
      };
      self = {
        env = "SELF";
        type = types.nullOr types.str;
        default = null;
        description = "Space-separated addresses of this node (SELF); default: detected.";
      };
      peersPort = {
        env = "PEERS_PORT";
        type = types.port;
        default = 5988;
        unlessSet = "peersSrv";
        description = "Port every peer probe listens on (PEERS_PORT).";
      };
      peersScheme = {
        env = "PEERS_SCHEME";
        type = types.str;
        default = "http";
        description = "URL scheme for peer probes (PEERS_SCHEME).";
      };
      pollingIntervalSec = {
        env = "POLLING_INTERVAL_SEC";
        type = types.int;
        default = 3;
        description = "Seconds between polling rounds (POLLING_INTERVAL_SEC).";
      };
      tgToken = {
        env = "TG_TOKEN";
        type = types.nullOr types.str;
        default = null;
        description = "Telegram bot token (TG_TOKEN). It ends up in the store: prefer environmentFile.";
      };
      tgChatId = {
        env = "TG_CHAT_ID";
        type = types.nullOr types.str;
        default = null;
        description = "Telegram chat id (TG_CHAT_ID).";
      };
      # Off by default: the originals' behaviour (README "Large meshes").
      digest = {
        env = "DIGEST";
        type = types.bool;
        default = false;
        # false writes nothing (an unset DIGEST), true writes DIGEST=1.
        toEnv = value: if value then "1" else null;
        description = "At most one Telegram message per round, holding every change of the round (DIGEST=1).";
      };
      alertmanagerUrls = {
        env = "ALERTMANAGER_URLS";
        type = types.listOf types.str;
        default = [ ];
        description = "Alertmanager base URLs (ALERTMANAGER_URLS, joined by one space); when set, alerts go to them instead of Telegram.";
      };
      webhookUrls = {
        env = "WEBHOOK_URLS";
        type = types.listOf types.str;
        default = [ ];
        description = "URLs each change is POSTed to as JSON, `text` being the alert line (WEBHOOK_URLS, joined by one space): Slack, Mattermost and Rocket.Chat incoming webhooks; beside Telegram, or instead of it when tgToken/tgChatId are unset. A hook's URL is its secret: prefer environmentFile.";
      };
      telegramApiUrl = {
        env = "TG_API_URL";
        type = types.nullOr types.str;
        default = null;
        description = "Telegram Bot API base URL, for a self-hosted telegram-bot-api server (TG_API_URL); null: https://api.telegram.org.";
      };
      metricsFile = {
        env = "METRICS_FILE";
        type = types.nullOr types.str;
        default = null;
        description = "File rewritten after every round with the watcher's metrics, for node_exporter's textfile collector (METRICS_FILE).";
      };
    };
  };

  # What each unit has besides its settings (docs/behaviour.md §11).
  about = {
    probe = {
      enable = "the sentinèlla probe (HTTP health endpoint, unit sentinella-probe)";
      environmentFile = "systemd EnvironmentFile (may hold PORT, URLS, VOLUMES, AUTH_FILE).";
      fixed = { };
    };
    watcher = {
      enable = "the sentinèlla watcher (polls the peers, alerts on Telegram; unit sentinella-watcher)";
      environmentFile = "systemd EnvironmentFile (TG_TOKEN, TG_CHAT_ID, PEERS_TOKEN, SELF, PEERS_DNS; also TIMEOUT, SPAM).";
      fixed = {
        environment.STATE_DIR = "/var/lib/sentinella";
        serviceConfig.StateDirectory = "sentinella";
      };
    };
  };

  # The design note's flat names (seeds/): `hectic.sentinella.<name>` sets every real option
  # listed, keeping the definition's priority (mkDefault stays a default). These are
  # lib.mkAliasOptionModule's semantics, for one target or several: `enable` turns on both
  # units, `port` is the probe's port and the port the watcher polls (one port for the whole
  # cluster, as the note has it). An alias and its real option defined with different values
  # at the same priority is the module system's "conflicting definition values" error.
  aliases = {
    enable = [
      [ "probe" "enable" ]
      [ "watcher" "enable" ]
    ];
    port = [
      [ "probe" "port" ]
      [ "watcher" "peersPort" ]
    ];
    peersDns = [ [ "watcher" "peersDns" ] ];
    self = [ [ "watcher" "self" ] ];
    urls = [ [ "probe" "urls" ] ];
    volumes = [ [ "probe" "volumes" ] ];
    tgToken = [ [ "watcher" "tgToken" ] ];
    tgChatId = [ [ "watcher" "tgChatId" ] ];
    pollingIntervalSec = [ [ "watcher" "pollingIntervalSec" ] ];
  };

  realOptions = options.hectic.services."sentinèlla";
  showReal = target: "`hectic.services.\"sentinèlla\".${concatStringsSep "." target}`";

  environmentOf =
    program:
    filterAttrs (_: value: value != null && value != "") (
      mapAttrs' (
        name: setting:
        let
          unused = setting ? unlessSet && cfg.${program}.${setting.unlessSet} != null;
          value = if unused then null else cfg.${program}.${name};
        in
        nameValuePair setting.env (if value == null then null else (setting.toEnv or toString) value)
      ) settings.${program}
    );

  # docs/behaviour.md §11, "Both units", plus the program's settings and fixed lines.
  unitFor =
    program:
    let
      fixed = about.${program}.fixed;
      environmentFile = cfg.${program}.environmentFile;
    in
    {
      after = [ "network.target" ];
      wantedBy = [ "multi-user.target" ];
      environment = environmentOf program // fixed.environment or { };
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
      // optionalAttrs (environmentFile != null) { EnvironmentFile = toString environmentFile; }
      // fixed.serviceConfig or { };
    };
in
{
  options.hectic.services."sentinèlla" = mapAttrs (
    program: programSettings:
    {
      enable = mkEnableOption about.${program}.enable;
      environmentFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = about.${program}.environmentFile;
      };
    }
    // mapAttrs (
      _: setting:
      mkOption (
        removeAttrs setting [
          "env"
          "toEnv"
          "unlessSet"
        ]
      )
    ) programSettings
  ) settings;

  options.hectic.sentinella = mapAttrs (
    _: targets:
    mkOption {
      type = (getAttrFromPath (head targets) realOptions).type;
      description = "Alias of ${concatMapStringsSep " and " showReal targets} (design-note name).";
      apply = _: getAttrFromPath (head targets) cfg;
    }
  ) aliases;

  config = {
    hectic.services."sentinèlla" = mkMerge (
      concatLists (
        mapAttrsToList (
          name: targets:
          map (
            target: lib.modules.mkAliasAndWrapDefsWithPriority (setAttrByPath target) options.hectic.sentinella.${name}
          ) targets
        ) aliases
      )
    );

    systemd.services = mkMerge (
      mapAttrsToList (
        program: _: mkIf cfg.${program}.enable { "sentinella-${program}" = unitFor program; }
      ) settings
    );
  };
}
