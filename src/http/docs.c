/* The API contract and its viewer: /openapi.json (built into the binary), /docs (a page
 * loading Redoc) and /docs/assets/... (the viewer's files from SHARE_DIR/web/docs,
 * installed from npm by scripts/web-deps.sh). */
#include "http/http_int.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const char http_openapi_json[];
extern const size_t http_openapi_json_len;

#define VIEWER "redoc.standalone.js"
/* Redoc styles itself inline and runs its search index in a blob: worker. */
#define DOCS_CSP                                                                                                       \
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "                  \
    "font-src 'self' data:; connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'"

const char *http_openapi(size_t *len)
{
    *len = http_openapi_json_len;
    return http_openapi_json;
}

static void openapi(http_req *req)
{
    http_reply_static(req, 200, "application/json", http_openapi_json, http_openapi_json_len);
}

static int asset_path(const http_req *req, const char *name, char *out, size_t n)
{
    int len = snprintf(out, n, "%s/web/docs/%s", http_req_config(req)->share_dir, name);
    return len > 0 && (size_t)len < n ? 0 : -1;
}

static void docs(http_req *req)
{
    static const char page[] = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                               "<title>Roadie API</title>\n</head>\n<body>\n"
                               "<redoc spec-url=\"openapi.json\"></redoc>\n"
                               "<script src=\"docs/assets/" VIEWER "\"></script>\n"
                               "<noscript>The API reference needs JavaScript; the raw contract is at "
                               "<a href=\"openapi.json\">/openapi.json</a>.</noscript>\n</body>\n</html>\n";
    char path[PATH_MAX];
    if (asset_path(req, VIEWER, path, sizeof(path)) < 0 || access(path, R_OK) != 0) {
        http_reply_problem(req, HTTP_PROBLEM_UNAVAILABLE,
                           "the documentation viewer is not installed (run scripts/web-deps.sh; share_dir is %s)",
                           http_req_config(req)->share_dir);
        return;
    }
    http_reply_header(req, "Content-Security-Policy", DOCS_CSP);
    http_reply_static(req, 200, "text/html; charset=utf-8", page, sizeof(page) - 1);
}

static const struct {
    const char *ext, *type;
} types[] = {
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".map", "application/json"},
    {".json", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".woff2", "font/woff2"},
};

static const char *content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

/* Each segment is [A-Za-z0-9._-]+ and starts with neither '.' nor '-': no "..", no
 * hidden files, no absolute paths, nothing the shell or the filesystem treats specially. */
bool http_asset_name_ok(const char *name)
{
    bool seg_start = true;
    if (!*name || strlen(name) > 200)
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (c == '/') {
            if (seg_start)
                return false;
            seg_start = true;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
        if (!ok || (seg_start && (c == '.' || c == '-')))
            return false;
        seg_start = false;
    }
    return !seg_start;
}

static void asset(http_req *req)
{
    const char *name = http_req_param(req, "path");
    const char *type = name && http_asset_name_ok(name) ? content_type(name) : NULL;
    char path[PATH_MAX];
    int fd = -1;
    struct stat st;
    if (type && asset_path(req, name, path, sizeof(path)) == 0)
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        http_reply_problem(req, HTTP_PROBLEM_NOT_FOUND, "no documentation asset %s", name ? name : "");
        return;
    }
    http_reply_header(req, "Cache-Control", "public, max-age=3600");
    http_reply_fd(req, 200, type, fd, (size_t)st.st_size);
}

const http_route http_docs_routes[] = {
    {HTTP_GET, "/openapi.json", openapi, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/docs", docs, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/docs/assets/{path...}", asset, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {0},
};
