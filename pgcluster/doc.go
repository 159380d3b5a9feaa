// Package pgcluster starts, reuses and stops a private PostgreSQL cluster
// from the PostgreSQL server binaries installed on the machine.
//
// The cluster lives in one data directory and listens only on a Unix socket
// inside that directory, so several clusters (one per test binary, say) can
// run side by side without fighting over TCP ports. A server started by
// Start is a child of the calling process and is asked to shut down by the
// kernel if that process dies, so no orphaned postgres survives a crash.
// A second Start on a directory whose server is already running (from
// another process) reuses that server instead of starting another one.
//
// PostgreSQL refuses to run as root, so when the caller is root the server
// runs as the unprivileged "postgres" user (or a "harbour-pg" system user
// created for the purpose).
package pgcluster
