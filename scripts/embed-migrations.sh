#!/bin/bash
# Prints a C file that embeds migrations/NNNN_name.sql as the table db_migrations() returns.
set -euo pipefail
dir=${1:-migrations}
echo '/* Generated from migrations/NNNN_name.sql by scripts/embed-migrations.sh. Do not edit. */'
echo '#include "db/db.h"'
echo 'static const db_migration list[] = {'
for f in $(ls "$dir"/[0-9][0-9][0-9][0-9]_*.sql 2>/dev/null | sort); do
    base=$(basename "$f" .sql)
    echo "    {$((10#${base%%_*})), \"$base\","
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/        "/' -e 's/$/\\n"/' "$f"
    echo '    },'
done
echo '    {0, 0, 0}};'
echo 'const db_migration *db_migrations(size_t *n)'
echo '{'
echo '    *n = sizeof(list) / sizeof(list[0]) - 1;'
echo '    return list;'
echo '}'
