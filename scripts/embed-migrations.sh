#!/bin/bash
# Prints a C file that embeds migrations/NNNN_name.sql as the table db_migrations() returns.
# Fails (and so does the build) on a .sql file not named NNNN_name.sql or two files with one
# version: either would otherwise be skipped or applied in an order nobody chose.
set -euo pipefail
dir=${1:-migrations}
shopt -s nullglob
files=("$dir"/*.sql)
seen=" "
for f in "${files[@]}"; do
    base=$(basename "$f" .sql)
    if ! [[ $base =~ ^[0-9]{4}_[a-z0-9_]+$ ]]; then
        echo "embed-migrations: $f: name it NNNN_words.sql (four digits, lower-case words)" >&2
        exit 1
    fi
    v=$((10#${base%%_*}))
    if [ "$v" -eq 0 ] || [[ $seen == *" $v "* ]]; then
        echo "embed-migrations: $f: version $v is 0 or used twice" >&2
        exit 1
    fi
    seen+="$v "
done
echo '/* Generated from migrations/NNNN_name.sql by scripts/embed-migrations.sh. Do not edit. */'
echo '#include "db/db.h"'
echo 'static const db_migration list[] = {'
for f in $(printf '%s\n' "${files[@]}" | sort); do
    base=$(basename "$f" .sql)
    echo "    {$((10#${base%%_*})), \"$base\","
    # \? keeps -std=c17 from reading a ??x in the SQL as a trigraph.
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/        "/' -e 's/$/\\n"/' "$f"
    echo '    },'
done
echo '    {0, 0, 0}};'
echo 'const db_migration *db_migrations(size_t *n)'
echo '{'
echo '    *n = sizeof(list) / sizeof(list[0]) - 1;'
echo '    return list;'
echo '}'
