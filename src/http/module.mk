PKGS += libmicrohttpd
