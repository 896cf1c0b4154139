#include "ga_unbound.h"
#include <poll.h>
#include <stddef.h>
#include <time.h>

struct ub_ctx *ga_ub_create(const char *upstream, const char *trust_anchor_file, const char **error) {
    struct ub_ctx *ctx = ub_ctx_create();
    int rc;
    if (!ctx) { *error = "ub_ctx_create failed"; return NULL; }
    if ((rc = ub_ctx_async(ctx, 1)) != 0) { *error = ub_strerror(rc); ub_ctx_delete(ctx); return NULL; }
    rc = upstream ? ub_ctx_set_fwd(ctx, upstream) : ub_ctx_resolvconf(ctx, NULL);
    if (rc != 0) { *error = ub_strerror(rc); ub_ctx_delete(ctx); return NULL; }
    if (trust_anchor_file && (rc = ub_ctx_add_ta_file(ctx, trust_anchor_file)) != 0) {
        *error = ub_strerror(rc); ub_ctx_delete(ctx); return NULL;
    }
    return ctx;
}

struct pending { int done; int err; struct ub_result *result; };

static void on_result(void *arg, int err, struct ub_result *result) {
    struct pending *p = arg;
    p->done = 1;
    p->err = err;
    p->result = result;
}

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int ga_ub_resolve(struct ub_ctx *ctx, const char *name, int rrtype, int timeout_ms, struct ub_result **result) {
    struct pending p = {0, 0, NULL};
    int id = 0;
    int rc = ub_resolve_async(ctx, name, rrtype, 1 /* IN */, &p, on_result, &id);
    if (rc != 0) return rc < 0 ? rc : -rc;
    long deadline = now_ms() + timeout_ms;
    while (!p.done) {
        long left = deadline - now_ms();
        if (left <= 0) { ub_cancel(ctx, id); return 1; }
        struct pollfd pfd = { ub_fd(ctx), POLLIN, 0 };
        if (poll(&pfd, 1, (int)left) > 0) ub_process(ctx);
    }
    if (p.err != 0) return p.err < 0 ? p.err : -p.err;
    *result = p.result;
    return 0;
}

const unsigned char *ga_ub_rdata(const struct ub_result *r, int i, int *len) {
    if (!r->data) return NULL;
    for (int k = 0; k <= i; k++) if (!r->data[k]) return NULL;
    *len = r->len[i];
    return (const unsigned char *)r->data[i];
}
