/* roadie openapi: print the OpenAPI 3.1 document the server serves at /openapi.json. */
#include "cmd/cmd.h"
#include "http/http.h"

#include <stdio.h>

int cmd_openapi(int argc, char **argv)
{
    if (cmd_wants_help(argc, argv)) {
        puts("usage: roadie openapi\n\nPrints the OpenAPI 3.1 document (JSON) that 'roadie serve' serves at "
             "/openapi.json.");
        return 0;
    }
    if (argc > 1)
        return cmd_usage_error("openapi", "unexpected argument '%s'", argv[1]);
    size_t len;
    const char *doc = http_openapi(&len);
    return fwrite(doc, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : 1;
}
