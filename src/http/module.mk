PKGS += libmicrohttpd
# The OpenAPI document is built into the binary (served at /openapi.json, printed by
# `roadie openapi`).
GEN_SRC += build/gen/openapi.c
build/gen/openapi.c: docs/openapi.json scripts/embed.sh
	@mkdir -p $(@D)
	scripts/embed.sh http_openapi_json $< > $@.tmp && mv $@.tmp $@
