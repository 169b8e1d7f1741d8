#!/usr/bin/env node
// Name lookups (getaddrinfo) run on libuv's thread pool and cannot be cancelled: with the default of 4
// threads, a few hung lookups would stall every other lookup (and compression). The pool size is read
// when the pool first starts, so it is set before anything else is loaded.
process.env.UV_THREADPOOL_SIZE ??= '64';
await import('../dist/src/cli/main.js');
