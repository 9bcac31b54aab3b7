# db: SQLite and PostgreSQL drivers; migrations/*.sql are embedded into the binary.
PKGS += sqlite3 libpq
GEN_SRC += build/gen/db/migrations.c

build/gen/db/migrations.c: scripts/embed-migrations.sh $(sort $(wildcard migrations/*.sql))
	@mkdir -p $(@D)
	scripts/embed-migrations.sh migrations > $@.tmp && mv $@.tmp $@
