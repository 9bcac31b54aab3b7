# Roadie build. GNU make. Modules plug in through src/<module>/module.mk, which may add
# pkg-config names to PKGS, plain linker flags to LIBS, and generated C files (under
# build/gen/, with the rule that makes them) to GEN_SRC, and data files built into the share
# dir (build/share/, with their rule) to SHARE; tests are found by their paths.
#   make          release build: build/roadie
#   make dev      install what is missing, build, migrate, load demo data, serve on 127.0.0.1:8080
#   make test     everything CI runs (unit suite under ASan+UBSan, integration on SQLite and PostgreSQL)
#   make docs     build the API docs page and serve it
#   make bench    run the benchmarks under bench/
#   make fuzz     build the libFuzzer targets and run each for FUZZ_SECONDS (60)
#   make check    clang-format and cppcheck
SHELL := /bin/bash
.DEFAULT_GOAL := all

CC       ?= cc
PKGS     :=
LIBS     := -lm -lpthread
GEN_SRC  :=
SHARE    :=
include $(sort $(wildcard src/*/module.mk))

WARN     := -std=c17 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Werror
PKG_CFLAGS := $(if $(strip $(PKGS)),$(shell pkg-config --cflags $(PKGS)))
PKG_LIBS   := $(if $(strip $(PKGS)),$(shell pkg-config --libs $(PKGS)))
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
CPPFLAGS := -D_GNU_SOURCE -Isrc -DROADIE_VERSION=\"$(VERSION)\"
REL_CFLAGS  := $(WARN) -O2 -g -D_FORTIFY_SOURCE=3 -fstack-protector-strong $(PKG_CFLAGS)
SAN_CFLAGS  := $(WARN) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all $(PKG_CFLAGS)

LIB_SRC  := $(sort $(wildcard src/*/*.c))
LIB_SRC  := $(filter-out src/cmd/main.c,$(LIB_SRC)) $(GEN_SRC)
REL_OBJ  := $(LIB_SRC:%.c=build/rel/%.o)
SAN_OBJ  := $(LIB_SRC:%.c=build/san/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/san/tests/%)

all: build/roadie $(SHARE)
.PHONY: all dev test unit integration docs bench fuzz check clean deps

build/rel/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(REL_CFLAGS) -MMD -MP -c $< -o $@
build/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

# The objects that print the version rebuild when it changes: build/version.txt is
# rewritten only then.
build/version.txt: FORCE
	@mkdir -p $(@D); [ "$$(cat $@ 2>/dev/null)" = "$(VERSION)" ] || echo "$(VERSION)" > $@
build/rel/src/cmd/main.o build/san/src/cmd/main.o build/rel/src/obs/metrics.o build/san/src/obs/metrics.o: build/version.txt
FORCE:

build/rel/libroadie.a: $(REL_OBJ)
	@rm -f $@; ar rcs $@ $^
build/san/libroadie.a: $(SAN_OBJ)
	@rm -f $@; ar rcs $@ $^

build/roadie: build/rel/src/cmd/main.o build/rel/libroadie.a
	$(CC) $(REL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LIBS)
build/roadie-san: build/san/src/cmd/main.o build/san/libroadie.a
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LIBS)

# A unit test may #include the .c it tests to reach its statics; the archive then
# supplies only the objects the test did not define itself.
build/san/tests/%: tests/unit/%.c build/san/libroadie.a | $(SHARE)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(SAN_CFLAGS) -MMD -MP -o $@ $< build/san/libroadie.a $(PKG_LIBS) $(shell pkg-config --libs cmocka) $(LIBS)

deps:
	@scripts/deps.sh

unit: $(UNIT_BIN)
	@scripts/run-unit.sh $(UNIT_BIN)

dev: deps all
	@scripts/dev.sh

test: deps
	@$(MAKE) --no-print-directory all build/roadie-san $(UNIT_BIN)
	@scripts/test.sh

bench: deps all
	@scripts/bench.sh

docs: deps all
	@scripts/docs.sh

fuzz: deps
	@scripts/fuzz.sh

check:
	@scripts/check.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
