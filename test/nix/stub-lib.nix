# A STAND-IN for the small part of nixpkgs' `lib` that nix/module.nix and nix/package.nix
# use. nixpkgs cannot be fetched in this test environment, so test/nix/nix.test.ts evaluates
# the module with this file and test/nix/eval-modules.nix instead of the real module system.
#
# It mirrors nixpkgs' semantics where the module depends on them: option declarations
# (mkOption, mkEnableOption), the properties mkIf / mkMerge / mkOverride (mkDefault, mkForce)
# with their "push down into attribute sets" behaviour, type checks and merges for the types
# used (bool, str, int, port, path, listOf, nullOr, attrsOf, anything, package), and a few
# list/attrset helpers. Type names and descriptions follow nixpkgs' wording. It is NOT
# nixpkgs: no submodules, no docs rendering, no `imports` deduplication, no assertions.
let
  inherit (builtins)
    all
    concatLists
    filter
    head
    isAttrs
    isBool
    isInt
    isList
    isPath
    isString
    length
    substring
    toJSON
    ;

  isType = type: value: isAttrs value && (value._type or null) == type;

  # Scalar options: every definition must be the same value (nixpkgs' mergeEqualOption).
  mergeEqual =
    loc: values:
    let
      first = head values;
    in
    if all (value: value == first) values then
      first
    else
      throw "The option `${loc}' has conflicting definition values: ${toJSON values}";

  mkOptionType =
    {
      name,
      description,
      check,
      merge ? mergeEqual,
    }:
    {
      _type = "option-type";
      inherit
        name
        description
        check
        merge
        ;
    };

  # A definition that is an attribute set is merged attribute by attribute, each attribute
  # after resolving its own mkIf/mkMerge/mkOverride (freeform, like `anything`).
  mergeAnything =
    loc: values:
    if all (value: isAttrs value && !(value ? outPath) && !(value ? _type)) values then
      let
        names = builtins.attrNames (builtins.foldl' (acc: value: acc // value) { } values);
        merged = map (
          name:
          let
            defs = concatLists (map (value: if value ? ${name} then resolveValues value.${name} else [ ]) values);
          in
          {
            inherit name;
            value = mergeAnything "${loc}.${name}" defs;
            keep = defs != [ ];
          }
        ) names;
      in
      builtins.listToAttrs (
        map (entry: {
          inherit (entry) name value;
        }) (filter (entry: entry.keep) merged)
      )
    else if all isList values then
      concatLists values
    else
      mergeEqual loc values;

  # Definitions (with their priorities) a value stands for, properties resolved.
  resolve =
    priority: def:
    if isType "if" def then
      (if def.condition then resolve priority def.content else [ ])
    else if isType "merge" def then
      concatLists (map (resolve priority) def.contents)
    else if isType "override" def then
      resolve def.priority def.content
    else
      [
        {
          inherit priority;
          value = def;
        }
      ];

  # Only the definitions with the highest priority (lowest number) count, as in nixpkgs.
  resolveValues =
    def:
    let
      defs = resolve 100 def;
      best = builtins.foldl' (acc: d: if d.priority < acc then d.priority else acc) 10000 defs;
    in
    map (d: d.value) (filter (d: d.priority == best) defs);

  types = rec {
    bool = mkOptionType {
      name = "bool";
      description = "boolean";
      check = isBool;
    };
    str = mkOptionType {
      name = "str";
      description = "string";
      check = isString;
    };
    int = mkOptionType {
      name = "int";
      description = "signed integer";
      check = isInt;
    };
    port = mkOptionType {
      name = "unsignedInt16";
      description = "16 bit unsigned integer; between 0 and 65535 (both inclusive)";
      check = value: isInt value && value >= 0 && value <= 65535;
    };
    path = mkOptionType {
      name = "path";
      description = "path";
      check = value: isPath value || (isString value && substring 0 1 value == "/");
    };
    package = mkOptionType {
      name = "package";
      description = "package";
      check = value: isAttrs value && value ? outPath;
    };
    anything = mkOptionType {
      name = "anything";
      description = "anything";
      check = _: true;
      merge = mergeAnything;
    };
    listOf =
      element:
      mkOptionType {
        name = "listOf";
        description = "list of ${element.description}";
        check = value: isList value && all element.check value;
        merge = _loc: concatLists;
      };
    attrsOf =
      element:
      mkOptionType {
        name = "attrsOf";
        description = "attribute set of ${element.description}";
        check = isAttrs;
        merge = mergeAnything;
      };
    nullOr =
      element:
      mkOptionType {
        name = "nullOr";
        description = "null or ${element.description}";
        check = value: value == null || element.check value;
        merge =
          loc: values:
          let
            set = filter (value: value != null) values;
          in
          if set == [ ] then
            null
          else if length set == length values then
            element.merge loc values
          else
            throw "The option `${loc}' is defined both null and not null";
      };
  };

  mkOverride = priority: content: {
    _type = "override";
    inherit priority content;
  };
in
rec {
  inherit types mkOverride;
  _resolveValues = resolveValues;
  _isType = isType;

  mkOption =
    {
      type ? types.anything,
      description ? null,
      ...
    }@attrs:
    attrs
    // {
      _type = "option";
      inherit type description;
    };
  mkEnableOption =
    name:
    mkOption {
      type = types.bool;
      default = false;
      description = "Whether to enable ${name}.";
    };

  mkIf = condition: content: {
    _type = "if";
    inherit condition content;
  };
  mkMerge = contents: {
    _type = "merge";
    inherit contents;
  };
  mkDefault = mkOverride 1000;
  mkForce = mkOverride 50;

  id = x: x;
  optional = condition: element: if condition then [ element ] else [ ];
  optionals = condition: list: if condition then list else [ ];
  optionalAttrs = condition: attrs: if condition then attrs else { };
  optionalString = condition: string: if condition then string else "";
  concatStringsSep = builtins.concatStringsSep;
  concatMapStringsSep =
    separator: f: list:
    builtins.concatStringsSep separator (map f list);
  filterAttrs =
    predicate: attrs:
    builtins.listToAttrs (
      map (name: {
        inherit name;
        value = attrs.${name};
      }) (filter (name: predicate name attrs.${name}) (builtins.attrNames attrs))
    );
  mapAttrs = builtins.mapAttrs;
  last = list: builtins.elemAt list (length list - 1);
  # nixpkgs' splitString: the separator is literal text, not a regex.
  splitString =
    separator: text:
    filter isString (
      builtins.split (builtins.replaceStrings
        [ "\\" "." "*" "+" "?" "(" ")" "[" "]" "{" "}" "|" "^" "$" ]
        [ "\\\\" "\\." "\\*" "\\+" "\\?" "\\(" "\\)" "\\[" "\\]" "\\{" "\\}" "\\|" "\\^" "\\$" ]
        separator) text
    );
  attrValues = builtins.attrValues;
  importJSON = file: builtins.fromJSON (builtins.readFile file);
  makeBinPath = packages: builtins.concatStringsSep ":" (map (p: "${p}/bin") packages);

  # What nix/package.nix uses; only their shape matters here.
  fileset = {
    unions = files: files;
    toSource =
      { root, fileset }:
      {
        outPath = "/nix/store/00000000000000000000000000000000-source";
        root = toString root;
        files = map toString fileset;
      };
  };
  licenses.mit = {
    spdxId = "MIT";
  };
  platforms.linux = [
    "x86_64-linux"
    "aarch64-linux"
  ];
}
