//go:build unix

package oauth2

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// The lock of a file store, one protocol for Go's [FileStore] and the JS
// API's { file } store in Node (which has no flock), so that a Go program
// and a Node program sharing a token file lock each other out:
//
//   - The lock is the file Path + ".lock", made exclusively (O_CREATE |
//     O_EXCL, mode 0600), holding one line: "authlib-lock 1", the holder's
//     process id, its start time (field 22 of /proc/PID/stat, "-" where
//     there is none) and a random token of this holding.
//   - It is let go by removing it, when it still holds that token.
//   - A waiter takes over a lock whose holder is gone: no such process; a
//     process of that id started at another time (the id was reused: a
//     container's pid 1 restarted after a kill mid-refresh); this very
//     process, which does not hold it (a process never waits on itself);
//     or a file with no line yet that has stayed so for 5 s (its maker
//     died between making and writing it). It takes over by renaming the
//     file aside and checking that what it moved is what it judged, else
//     it puts it back: two waiters taking over at once do not both hold it.
//
// lockWait bounds the wait for another process's renewal (its token
// request has a 30 s timeout of its own).
const lockWait = 65 * time.Second

// heldLocks are the tokens of the locks this process holds.
var heldLocks sync.Map

// lockFile takes the lock file, waiting while another process holds it.
func lockFile(ctx context.Context, file string) (func(), error) {
	deadline := time.Now().Add(lockWait)
	token := newLockToken()
	line := "authlib-lock 1 " + strconv.Itoa(os.Getpid()) + " " + processStart(os.Getpid()) + " " + token + "\n"
	for wait := 2 * time.Millisecond; ; wait = min(wait*2, 25*time.Millisecond) {
		fd, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			heldLocks.Store(token, true)
			_, werr := fd.WriteString(line)
			if cerr := fd.Close(); werr == nil {
				werr = cerr
			}
			release := func() {
				heldLocks.Delete(token)
				if b, err := os.ReadFile(file); err == nil && string(b) == line {
					os.Remove(file)
				}
			}
			if werr != nil {
				release()
				return nil, lockErr(file, "cannot be written")
			}
			return release, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, lockErr(file, "cannot be made")
		}
		if stale, seen := staleLock(file); stale {
			takeOver(file, seen, token)
			continue
		}
		if time.Now().After(deadline) {
			return nil, &authlib.Error{Kind: authlib.ErrTimeout, Op: "oauth2 file store", Detail: "its lock is still held by another process after " + lockWait.String()}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, &authlib.Error{Kind: ctxKind(context.Cause(ctx)), Op: "oauth2 file store", Detail: "waiting for another process's token request", Err: context.Cause(ctx)}
		case <-t.C:
		}
	}
}

// staleLock reports a lock file whose holder is gone (see above), with
// what it held when judged.
func staleLock(file string) (bool, string) {
	b, err := os.ReadFile(file)
	if err != nil {
		return false, "" // gone meanwhile: try again
	}
	f := strings.Fields(string(b))
	if len(f) != 5 || f[0] != "authlib-lock" || f[1] != "1" {
		st, err := os.Stat(file)
		return err == nil && time.Since(st.ModTime()) > 5*time.Second, string(b)
	}
	pid, err := strconv.Atoi(f[2])
	switch {
	case err != nil || pid <= 0:
		return true, string(b)
	case pid == os.Getpid():
		_, mine := heldLocks.Load(f[4])
		return !mine, string(b)
	case !processAlive(pid):
		return true, string(b)
	}
	start := processStart(pid)
	return f[3] != "-" && start != "-" && start != f[3], string(b)
}

// takeOver removes the lock file judged stale when it held seen: it is
// renamed aside, and put back when what was moved is another (a waiter
// that took it over and made it anew meanwhile).
func takeOver(file, seen, token string) {
	aside := file + "." + token + ".stale"
	if os.Rename(file, aside) != nil {
		return
	}
	if b, err := os.ReadFile(aside); err == nil && string(b) != seen {
		os.Link(aside, file) // fails only if another made it meanwhile
	}
	os.Remove(aside)
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM) // EPERM: alive, another user's
}

// processStart is the start time of process pid as /proc has it (clock
// ticks since boot), or "-" where there is no /proc.
func processStart(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "-"
	}
	s := string(b)
	// The name, field 2, is in parentheses and may hold spaces.
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 20 {
		return "-"
	}
	return f[19] // field 22: fields after the name start at 3
}

func newLockToken() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func lockErr(file, why string) error {
	return &authlib.Error{Kind: ErrStore, Op: "oauth2 file store", Detail: "its lock file " + why}
}
