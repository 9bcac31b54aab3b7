PKGS += jansson
