// A bounded lookup over libunbound: asynchronous resolution polled against a deadline, so a
// silent name server costs at most `timeout_ms`, never libunbound's own long retry schedule.
#ifndef GA_UNBOUND_H
#define GA_UNBOUND_H
#include <unbound.h>

/// Creates a context: forwarding to `upstream` ("addr@port", NULL = /etc/resolv.conf), threaded
/// (no fork), with DNSSEC trust anchors from `trust_anchor_file` (NULL = none).
/// Returns NULL and sets *error to a static message on failure.
struct ub_ctx *ga_ub_create(const char *upstream, const char *trust_anchor_file, const char **error);

/// 0: *result is set (free it with ub_resolve_free); 1: timed out; < 0: a libunbound error code.
int ga_ub_resolve(struct ub_ctx *ctx, const char *name, int rrtype, int timeout_ms, struct ub_result **result);

/// The i-th RDATA of a result, or NULL past the end.
const unsigned char *ga_ub_rdata(const struct ub_result *r, int i, int *len);

#endif
