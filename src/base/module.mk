# base needs only libc.
