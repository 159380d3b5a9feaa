package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	defaultPort = 5432
	superuser   = "harbour"
	// maxSocketPath stays below the 108-byte sun_path limit with a margin.
	maxSocketPath = 100
)

// Options tune a cluster.
type Options struct {
	Dir            string       // cluster data directory (PGDATA); created if missing; made absolute
	Logger         *slog.Logger // nil means slog.Default(); only paths, pids and durations are logged
	Durable        bool         // false: test settings (fsync off etc.); true: normal durable settings
	MaxConnections int          // 0 means 100
	LogFile        string       // receives the server's stdout and stderr; "" means <parent of Dir>/postgres.log
}

// Cluster is a running PostgreSQL server on a Unix socket in Dir.
type Cluster struct {
	dir    string
	port   int
	owned  bool
	srv    *server // nil when the server was reused
	logger *slog.Logger

	stopOnce sync.Once
	stopErr  error
}

// withDefaults fills in defaults and makes paths absolute.
func (o Options) withDefaults() (Options, error) {
	if o.Dir == "" {
		return o, errors.New("pgcluster: Options.Dir is empty")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return o, err
	}
	o.Dir = dir
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxConnections <= 0 {
		o.MaxConnections = 100
	}
	if o.LogFile == "" {
		o.LogFile = filepath.Join(filepath.Dir(dir), "postgres.log")
	}
	o.LogFile, err = filepath.Abs(o.LogFile)
	return o, err
}

// Start returns a running cluster in opts.Dir: it reuses a server already
// running on that directory (Owned false; Stop does nothing), or
// initialises the directory if empty or missing and starts a server as a
// child of this process (Owned true).
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if sock := socketPath(o.Dir, defaultPort); len(sock) >= maxSocketPath {
		return nil, fmt.Errorf("socket path %s is %d bytes, PostgreSQL allows under %d: choose a shorter data directory", sock, len(sock), maxSocketPath)
	}
	acct, err := serverAccount(ctx)
	if err != nil {
		return nil, err
	}
	if acct != nil {
		if err := checkReach(acct, o.Dir); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(filepath.Dir(o.Dir), 0o755); err != nil {
		return nil, fmt.Errorf("create parent of data directory: %w", err)
	}
	lock, err := lockDir(ctx, o.Dir)
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	if c, err := reuse(ctx, o); c != nil || err != nil {
		return c, err
	}
	return initAndLaunch(ctx, o, acct)
}

// reuse returns the server another process runs on o.Dir, or nil, nil
// when there is none (no pid file, or a stale one: postgres cleans it up).
func reuse(ctx context.Context, o Options) (*Cluster, error) {
	pf, ok := readPidFile(o.Dir)
	if !ok || !postmasterAlive(pf.pid) {
		return nil, nil
	}
	c := &Cluster{dir: o.Dir, port: pf.port, logger: o.Logger}
	// The server may still be starting (or recovering); wait like for ours.
	err := waitReady(ctx, c.DSN("postgres"), func() bool { return !postmasterAlive(pf.pid) })
	if errors.Is(err, errGone) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("postgres (pid %d) runs on %s but does not accept connections on its socket: %w", pf.pid, o.Dir, err)
	}
	o.Logger.Info("postgres reused", "dir", o.Dir, "pid", pf.pid)
	return c, nil
}

// initAndLaunch initialises o.Dir if needed and starts our own server.
func initAndLaunch(ctx context.Context, o Options, acct *account) (*Cluster, error) {
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	empty, err := prepareDir(o.Dir, acct)
	if err != nil {
		return nil, err
	}
	if empty {
		began := time.Now()
		if err := initdb(ctx, bin, o.Dir, acct, o.Durable); err != nil {
			return nil, err
		}
		o.Logger.Info("postgres initialised", "dir", o.Dir, "duration", time.Since(began))
	}
	return launch(ctx, bin, o, acct)
}

// launch starts postgres as our child and waits until it accepts connections.
func launch(ctx context.Context, bin string, o Options, acct *account) (*Cluster, error) {
	if err := os.MkdirAll(filepath.Dir(o.LogFile), 0o755); err != nil {
		return nil, fmt.Errorf("create log directory: %w", err)
	}
	logf, err := os.OpenFile(o.LogFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open postgres log: %w", err)
	}
	defer logf.Close() // the child holds its own copy of the descriptor

	cmd := exec.Command(filepath.Join(bin, "postgres"), serverArgs(o)...)
	cmd.Dir = o.Dir // the postgres user may not be able to enter our cwd
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = acct.procAttr()
	// Own process group: Ctrl-C on the terminal must reach us, not postgres;
	// we stop it ourselves, in order.
	cmd.SysProcAttr.Setpgid = true
	// If we die, even by SIGKILL, the kernel asks postgres for a fast shutdown.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGINT

	began := time.Now()
	srv, err := spawn(cmd)
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: o.Dir, port: defaultPort, owned: true, srv: srv, logger: o.Logger}
	if err := waitReady(ctx, c.DSN("postgres"), srv.exited); err != nil {
		_ = c.Stop()
		return nil, fmt.Errorf("%w; last lines of %s:\n%s", err, o.LogFile, tailFile(o.LogFile, 20))
	}
	o.Logger.Info("postgres started", "dir", o.Dir, "pid", srv.pid, "duration", time.Since(began))
	return c, nil
}

// serverArgs are the postgres command-line settings: socket only, in Dir.
func serverArgs(o Options) []string {
	args := []string{
		"-D", o.Dir,
		"-k", o.Dir,
		"-c", "listen_addresses=",
		"-c", "port=" + strconv.Itoa(defaultPort),
		"-c", "unix_socket_permissions=0700",
		"-c", "max_connections=" + strconv.Itoa(o.MaxConnections),
	}
	if !o.Durable {
		// Throwaway clusters: a crash may lose data, which tests do not mind.
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	return args
}

func socketPath(dir string, port int) string {
	return filepath.Join(dir, ".s.PGSQL."+strconv.Itoa(port))
}

// Owned reports whether this process started the server (and so must stop it).
func (c *Cluster) Owned() bool { return c.owned }

// SocketDir is the directory holding the Unix socket (the data directory).
func (c *Cluster) SocketDir() string { return c.dir }

// DSN returns a libpq key/value connection string for database dbname as
// the superuser "harbour" over the Unix socket.
func (c *Cluster) DSN(dbname string) string {
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable",
		dsnQuote(c.dir), c.port, superuser, dsnQuote(dbname))
}

// dsnQuote quotes a key/value connection string value when needed.
func dsnQuote(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\n\r\v\f'\\") {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(v) + "'"
}

// Stop shuts down a server this process started (SIGINT, then SIGQUIT after
// 8 s, then SIGKILL after 2 more s) and waits for it to exit. It is safe to
// call more than once and concurrently, and does nothing for a reused server.
func (c *Cluster) Stop() error {
	if !c.owned {
		return nil
	}
	c.stopOnce.Do(func() {
		began := time.Now()
		c.stopErr = c.srv.stop()
		c.logger.Info("postgres stopped", "dir", c.dir, "pid", c.srv.pid, "duration", time.Since(began))
	})
	return c.stopErr
}
