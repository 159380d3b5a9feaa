package pgcluster

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindBinaries(t *testing.T) {
	dir, err := FindBinaries()
	if err != nil {
		t.Fatalf("FindBinaries: %v", err)
	}
	if !hasServer(dir) {
		t.Fatalf("FindBinaries = %s, which lacks initdb or postgres", dir)
	}
	debian := "/usr/lib/postgresql/15/bin"
	if hasServer(debian) && dir != debian {
		t.Errorf("FindBinaries = %s, want the real directory %s", dir, debian)
	}
}

func TestFindBinariesOverride(t *testing.T) {
	empty := t.TempDir()
	t.Setenv("HARBOUR_PG_BIN", empty)
	if _, err := FindBinaries(); err == nil {
		t.Fatal("HARBOUR_PG_BIN without binaries: no error")
	}

	t.Setenv("PATH", "")
	_, err := FindBinaries()
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("err = %v, want ErrNoBinaries", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("message is not one line: %q", err)
	}

	if debian := "/usr/lib/postgresql/15/bin"; hasServer(debian) {
		t.Setenv("HARBOUR_PG_BIN", debian)
		if got, err := FindBinaries(); err != nil || got != debian {
			t.Errorf("HARBOUR_PG_BIN=%s: got %q, %v", debian, got, err)
		}
	}
}

func TestNewestVersionDir(t *testing.T) {
	root := t.TempDir()
	fake := func(version string) {
		bin := filepath.Join(root, version, "bin")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"initdb", "postgres"} {
			if err := os.WriteFile(filepath.Join(bin, name), nil, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := newestVersionDir(root); got != "" {
		t.Errorf("empty root: %q", got)
	}
	fake("9.6")
	fake("10")
	if got, want := newestVersionDir(root), filepath.Join(root, "10", "bin"); got != want {
		t.Errorf("9.6 vs 10: got %s, want %s", got, want)
	}
	fake("16")
	fake("15")
	if err := os.MkdirAll(filepath.Join(root, "17", "bin"), 0o755); err != nil { // client only
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "common"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, want := newestVersionDir(root), filepath.Join(root, "16", "bin"); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
