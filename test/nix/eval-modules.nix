# A tiny module evaluator: the STAND-IN for nixpkgs' lib.evalModules that the Nix checks use
# (see stub-lib.nix for why). Given modules, it collects option declarations, pushes each
# module's `config` (with mkIf / mkMerge / mkOverride) down to every declared option, merges
# the definitions by type, applies defaults, and refuses definitions of options nobody
# declared, as NixOS does. `config` is a lazy fixpoint, so modules may read it freely.
#
#   import ./eval-modules.nix { lib = import ./stub-lib.nix; pkgs = ...; modules = [ ... ]; }
#   -> { config; options = [ { loc; type; default?; } ... ]; }
{
  lib,
  pkgs,
  modules,
}:

let
  inherit (builtins)
    attrNames
    concatLists
    concatStringsSep
    filter
    head
    isAttrs
    isFunction
    isPath
    mapAttrs
    tail
    ;

  isType = lib._isType;
  isOption = isType "option";

  # Calls a module (a path, a function or an attribute set) and normalises its shape.
  load =
    module:
    let
      value = if isPath module then import module else module;
      result =
        if isFunction value then
          value {
            inherit config lib pkgs;
            options = declarations;
          }
        else
          value;
      shaped =
        if result ? options || result ? config then
          {
            options = result.options or { };
            config = result.config or { };
          }
        else
          {
            options = { };
            config = removeAttrs result [ "imports" ];
          };
    in
    [ shaped ] ++ concatLists (map load (result.imports or [ ]));

  loaded = concatLists (map load modules);

  mergeDeclarations =
    loc: a: b:
    builtins.listToAttrs (
      map (name: {
        inherit name;
        value =
          if a ? ${name} && b ? ${name} then
            (
              if isOption a.${name} || isOption b.${name} then
                throw "The option `${concatStringsSep "." (loc ++ [ name ])}' is declared more than once"
              else
                mergeDeclarations (loc ++ [ name ]) a.${name} b.${name}
            )
          else
            a.${name} or b.${name};
      }) (attrNames (a // b))
    );

  declarations = builtins.foldl' (mergeDeclarations [ ]) { } (map (m: m.options) loaded);

  showLoc = concatStringsSep ".";

  # Every definition a module's config makes at `path`, properties pushed down unevaluated
  # (mkIf c { a = x; } at path [a] is mkIf c x): conditions are only forced at the option
  # itself, which is what lets a module's config depend on its own options.
  definitionsAt =
    path: def:
    if path == [ ] then
      [ def ]
    else if isType "if" def || isType "override" def then
      map (content: def // { inherit content; }) (definitionsAt path def.content)
    else if isType "merge" def then
      concatLists (map (definitionsAt path) def.contents)
    else if isAttrs def then
      (if def ? ${head path} then definitionsAt (tail path) def.${head path} else [ ])
    else
      throw "A definition for `${showLoc path}' sits below a value that is not an attribute set";

  optionValue =
    loc: option:
    let
      defs = concatLists (map (m: definitionsAt loc m.config) loaded);
      values = concatLists (map lib._resolveValues defs);
      bad = filter (value: !option.type.check value) values;
    in
    if values == [ ] then
      (
        if option ? default then
          option.default
        else
          throw "The option `${showLoc loc}' is used but not defined."
      )
    else if bad != [ ] then
      throw "A definition for option `${showLoc loc}' is not of type `${option.type.description}'."
    else
      option.type.merge (showLoc loc) values;

  valueTree =
    loc: decls:
    mapAttrs (
      name: decl: if isOption decl then optionValue (loc ++ [ name ]) decl else valueTree (loc ++ [ name ]) decl
    ) decls;

  config = valueTree [ ] declarations;

  # Paths that modules define but nobody declared ("The option `x' does not exist").
  undeclared =
    loc: decls: def:
    if isType "if" def || isType "override" def then
      undeclared loc decls def.content
    else if isType "merge" def then
      concatLists (map (undeclared loc decls) def.contents)
    else if isAttrs def then
      concatLists (
        map (
          name:
          if !(decls ? ${name}) then
            [ (showLoc (loc ++ [ name ])) ]
          else if isOption decls.${name} then
            [ ]
          else
            undeclared (loc ++ [ name ]) decls.${name} def.${name}
        ) (attrNames def)
      )
    else
      [ (showLoc loc) ];

  missing = concatLists (map (m: undeclared [ ] declarations m.config) loaded);

  flatOptions =
    loc: decls:
    concatLists (
      map (
        name:
        let
          decl = decls.${name};
        in
        if isOption decl then
          [
            (
              {
                loc = loc ++ [ name ];
                type = decl.type.description;
              }
              // lib.optionalAttrs (decl ? default) { inherit (decl) default; }
            )
          ]
        else
          flatOptions (loc ++ [ name ]) decl
      ) (attrNames decls)
    );
in
{
  config =
    if missing == [ ] then config else throw "The option `${head missing}' does not exist (defined, never declared)";
  options = flatOptions [ ] declarations;
}
