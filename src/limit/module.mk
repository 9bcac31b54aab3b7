PKGS += hiredis
