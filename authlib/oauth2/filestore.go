//go:build unix

package oauth2

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// FileStore is a [Store] in a file that several processes share (a CLI's
// saved login): the token as requests-oauthlib saves it ([Token.JSON]),
// with the client id and the token endpoint it belongs to
// ([Config.SavedText]). It is written
// with mode 0600 to a temporary file and renamed over the old one, so that
// a reader never sees half a token; and it is a [Locker]: the lock file
// Path + ".lock", made exclusively and holding its holder's process id and
// start time, which a waiter takes over once that process is gone (the
// same protocol as the JS API's file store in Node).
//
// Load treats a file that cannot be read as a token (truncated, another
// client's or token endpoint's, or without a scope the Config asks for)
// as no token, with an [ErrStore] error saying why.
type FileStore struct {
	Path   string
	Config *Config // whose tokens it keeps: its ClientID, TokenURL or Issuer, and Scopes
}

// NewFileStore returns the FileStore of c's tokens at path.
func NewFileStore(path string, c *Config) *FileStore { return &FileStore{Path: path, Config: c} }

func (f *FileStore) storeErr(detail string) error {
	return &authlib.Error{Kind: ErrStore, Op: "oauth2 file store", Detail: filepath.Base(f.Path) + ": " + detail}
}

// Load reads the token saved, or nil when there is no file.
func (f *FileStore) Load(ctx context.Context) (*Token, error) {
	tok, err := (&TextStore{Config: f.Config, Keeper: f}).Load(ctx)
	if e := (*authlib.Error)(nil); errors.As(err, &e) && e.Op == opSaved {
		return nil, f.storeErr(strings.TrimPrefix(e.Detail, "the store "))
	}
	return tok, err
}

// Save writes t in place of prev, or removes the file for a nil t; it
// fails with [ErrConflict] when the file no longer holds prev.
func (f *FileStore) Save(ctx context.Context, t, prev *Token) error {
	return (&TextStore{Config: f.Config, Keeper: f}).Save(ctx, t, prev)
}

// LoadText reads the file ("" when there is none): FileStore is the
// [TextKeeper] of its [TextStore].
func (f *FileStore) LoadText(ctx context.Context) (string, error) {
	b, err := os.ReadFile(f.Path)
	switch {
	case os.IsNotExist(err):
		return "", nil
	case err != nil:
		return "", f.storeErr("cannot be read")
	}
	return string(b), nil
}

// SaveText writes text to a temporary file and renames it over the file,
// or removes the file for "".
func (f *FileStore) SaveText(ctx context.Context, text string) error {
	if text == "" {
		if err := os.Remove(f.Path); err != nil && !os.IsNotExist(err) {
			return f.storeErr("cannot be removed")
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), "."+filepath.Base(f.Path)+".*")
	if err != nil {
		return f.storeErr("no temporary file can be made beside it")
	}
	defer os.Remove(tmp.Name()) // gone once renamed
	if err := tmp.Chmod(0o600); err == nil {
		_, err = tmp.WriteString(text + "\n")
		if err == nil {
			err = tmp.Sync()
		}
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.Path)
	}
	if err != nil {
		return f.storeErr("cannot be written")
	}
	return nil
}

// Lock takes the lock file Path + ".lock", waiting while another process
// holds it: the protocol the JS API's { file } store in Node follows too
// (see lockFile), so that Go and Node programs sharing the file lock each
// other out.
func (f *FileStore) Lock(ctx context.Context) (func(), error) {
	return lockFile(ctx, f.Path+".lock")
}
