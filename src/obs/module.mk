# obs: metrics and readiness; only libc atomics.
