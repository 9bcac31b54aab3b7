PKGS += libmicrohttpd
# The OpenAPI document is built into the binary (served at /openapi.json, printed by
# `roadie openapi`).
GEN_SRC += build/gen/http/openapi.c
build/gen/http/openapi.c: docs/openapi.json scripts/embed.sh
	@mkdir -p $(@D)
	scripts/embed.sh http_openapi_json $< > $@.tmp && mv $@.tmp $@
# The docs page's viewer comes from npm into the share dir (scripts/web-deps.sh).
SHARE += build/share/web/docs/redoc.standalone.js
build/share/web/docs/redoc.standalone.js: scripts/web-deps.sh
	scripts/web-deps.sh
