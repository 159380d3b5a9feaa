package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	readyTimeout = 30 * time.Second
	pollEvery    = 50 * time.Millisecond
	tryTimeout   = 5 * time.Second
)

// errGone means the server exited before it accepted a connection.
var errGone = errors.New("postgres exited before accepting connections")

// waitReady polls until a real connection over dsn succeeds. A pid file or
// a socket file appear before the server accepts queries, so only a
// connection proves readiness. It gives up on timeout, ctx, or gone().
func waitReady(ctx context.Context, dsn string, gone func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		err := tryConnect(ctx, dsn)
		if err == nil {
			return nil
		}
		if gone() {
			return errGone
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("postgres not ready: %w (last error: %v)", ctx.Err(), err)
		case <-tick.C:
		}
	}
}

func tryConnect(ctx context.Context, dsn string) error {
	ctx, cancel := context.WithTimeout(ctx, tryTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	return conn.Close(ctx)
}

// tailFile returns the last n lines of the file at path, for error messages.
func tailFile(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	defer f.Close()
	const window = 16 << 10 // plenty for 20 lines; the log may be huge
	if fi, err := f.Stat(); err == nil && fi.Size() > window {
		_, _ = f.Seek(-window, io.SeekEnd)
	}
	b, _ := io.ReadAll(f)
	return lastLines(b, n)
}

// lastLines returns the last n lines of b.
func lastLines(b []byte, n int) string {
	lines := strings.Split(string(bytes.TrimRight(b, "\n")), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
