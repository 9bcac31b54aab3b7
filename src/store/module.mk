#store : SQL for every entity; audit hashes use libsodium's SHA-256.
PKGS += libsodium
