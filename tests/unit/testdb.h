/* Shared by the database tests: each case runs on a throwaway SQLite file, and on
 * PostgreSQL when ROADIE_TEST_PG_URL names a server (scripts/test.sh starts one).
 * Include after cmocka.h. */
#ifndef ROADIE_TESTDB_H
#define ROADIE_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char testdb_dir[] = "/tmp/roadie-dbtest-XXXXXX";
static char sqlite_url[128];

/* The URLs to test: SQLite always, PostgreSQL when configured. */
static int urls(const char *out[2])
{
    int n = 0;
    out[n++] = sqlite_url;
    const char *pg = getenv("ROADIE_TEST_PG_URL");
    if (pg && *pg)
        out[n++] = pg;
    return n;
}

/* Runs the group with a fresh SQLite directory, removed afterwards. */
static int testdb_run(const struct CMUnitTest *tests, size_t n)
{
    if (!mkdtemp(testdb_dir))
        return 1;
    snprintf(sqlite_url, sizeof(sqlite_url), "sqlite:%s/t.db", testdb_dir);
    if (!getenv("ROADIE_TEST_PG_URL"))
        printf("note: ROADIE_TEST_PG_URL not set, PostgreSQL cases skipped\n");
    int rc = _cmocka_run_group_tests("tests", tests, n, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", testdb_dir);
    return system(cmd) != 0 ? 1 : rc;
}

#endif
