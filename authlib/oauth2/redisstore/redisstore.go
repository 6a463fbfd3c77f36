// Package redisstore keeps an OAuth client's token in Redis, where every
// process and machine of a fleet finds it: one refresh across machines,
// as [oauth2.FileStore] gives one across the processes of one machine.
//
// A login is one Redis key holding the text every authlib store writes
// ([oauth2.Config.SavedText]: the token, with the client, server, scope,
// resources and DPoP key it is for), sealed with AES-GCM when the Store
// has a Seal key. Its lock is a second key, Key + ":lock": a lease with a
// random owner token and an expiry, renewed while its holder works and
// released only by its owner, so that a crashed holder frees it on its own
// and a slow one never releases another's. A save is a compare-and-swap
// (WATCH/MULTI) that also requires the lock to be still the saver's: a
// holder paused past its lease (a stopped process, a long GC) cannot
// overwrite the token saved meanwhile.
//
// Redis that is down or slow is an [oauth2.ErrStore] error within Timeout,
// never a hang; the [oauth2.Source] keeps serving the token it holds until
// that expires.
package redisstore

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/oauth2"
	"github.com/redis/go-redis/v9"
)

// Defaults of a Store's zero fields.
const (
	DefaultLease   = 15 * time.Second
	DefaultTimeout = 2 * time.Second
	DefaultWait    = 65 * time.Second
)

// Store is an [oauth2.Store] and [oauth2.Locker] over one Redis key. It
// is safe for concurrent use; its lock is held by one Source of the
// process at a time.
type Store struct {
	Client redis.UniversalClient // required
	// Key names the login: one per client and server, such as
	// "authlib:token:my-app" (a prefix per client keeps them apart on a
	// shared instance; see the README). Required.
	Key    string
	Config *oauth2.Config // whose tokens it keeps; required
	// Seal, when set, is an AES key (16, 24 or 32 bytes) that seals the
	// text in Redis (AES-GCM, the key name as associated data): whoever
	// reads the instance without it reads no token.
	Seal []byte
	// Lease is how long the lock holds without its holder renewing it
	// (it renews every third of it while it works); 0 means DefaultLease.
	Lease time.Duration
	// Timeout bounds each Redis call; 0 means DefaultTimeout.
	Timeout time.Duration
	// Wait bounds the wait for another holder's renewal; 0 means
	// DefaultWait.
	Wait time.Duration

	local chan struct{} // this process's holder, one at a time
	once  sync.Once
	mu    sync.Mutex
	owner string // the lock's owner token while this process holds it
}

// New returns the Store of c's tokens under key.
func New(client redis.UniversalClient, key string, c *oauth2.Config) *Store {
	return &Store{Client: client, Key: key, Config: c}
}

func (s *Store) init() { s.once.Do(func() { s.local = make(chan struct{}, 1) }) }

func (s *Store) lockKey() string { return s.Key + ":lock" }

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// storeErr is an ErrStore error that names no secret.
func storeErr(detail string, err error) error {
	return &authlib.Error{Kind: oauth2.ErrStore, Op: "oauth2 redis store", Detail: detail, Err: err}
}

// call runs f with the Store's Timeout, and returns within it whatever
// the client does (a client without ContextTimeoutEnabled may not give up
// at the context's deadline by itself).
func (s *Store) call(ctx context.Context, what string, f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, orDefault(s.Timeout, DefaultTimeout))
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f(ctx) }()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, redis.Nil) && !errors.Is(err, redis.TxFailedErr) && !errors.Is(err, errConflict) && !errors.Is(err, errLost) {
			return storeErr("Redis did not answer the "+what+" (down, or slower than the store's Timeout)", err)
		}
		return err
	case <-ctx.Done():
		return storeErr("Redis did not answer the "+what+" within the store's Timeout", ctx.Err())
	}
}

// Load returns the token kept, or nil for none; one that cannot be used
// (another client's, unsealable, cut short) is an ErrStore error.
func (s *Store) Load(ctx context.Context) (*oauth2.Token, error) {
	text, err := s.loadText(ctx, s.Client)
	if err != nil || text == "" {
		return nil, err
	}
	return s.Config.ParseSaved(text)
}

// loadText reads and unseals the key ("" for none).
func (s *Store) loadText(ctx context.Context, c redis.Cmdable) (string, error) {
	var raw string
	err := s.call(ctx, "load", func(ctx context.Context) error {
		var err error
		raw, err = c.Get(ctx, s.Key).Result()
		return err
	})
	switch {
	case errors.Is(err, redis.Nil):
		return "", nil
	case err != nil:
		return "", err
	}
	return s.unseal(raw)
}

var (
	errConflict = errors.New("conflict")
	errLost     = errors.New("lock lost")
)

// Save keeps t in place of prev (nil t deletes it): a compare-and-swap
// that fails with [oauth2.ErrConflict] when the key holds another token,
// and with ErrStore when this process held the lock and no longer does
// (its lease ran out while it was paused, and another took it).
func (s *Store) Save(ctx context.Context, t, prev *oauth2.Token) error {
	text := ""
	if t != nil {
		var err error
		if text, err = s.Config.SavedText(t); err != nil {
			return err
		}
		if text, err = s.seal(text); err != nil {
			return err
		}
	}
	s.mu.Lock()
	owner := s.owner
	s.mu.Unlock()
	err := s.call(ctx, "save", func(ctx context.Context) error {
		return s.Client.Watch(ctx, func(tx *redis.Tx) error {
			if owner != "" {
				if held, err := tx.Get(ctx, s.lockKey()).Result(); err != nil && !errors.Is(err, redis.Nil) {
					return err
				} else if held != owner {
					return errLost
				}
			}
			cur, err := tx.Get(ctx, s.Key).Result()
			if err != nil && !errors.Is(err, redis.Nil) {
				return err
			}
			var now *oauth2.Token
			if cur != "" {
				plain, err := s.unseal(cur)
				if err == nil {
					now, err = s.Config.ParseSaved(plain)
				}
				if err != nil && prev != nil {
					return errConflict
				}
			}
			if !sameToken(now, prev) {
				return errConflict
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				if text == "" {
					p.Del(ctx, s.Key)
				} else {
					p.Set(ctx, s.Key, text, 0)
				}
				return nil
			})
			return err
		}, s.Key, s.lockKey())
	})
	switch {
	case errors.Is(err, errLost):
		return storeErr("the lock's lease ran out before the save (another holder may have saved since): the save is refused", nil)
	case errors.Is(err, errConflict), errors.Is(err, redis.TxFailedErr):
		return &authlib.Error{Kind: oauth2.ErrConflict, Op: "oauth2 redis store", Detail: "the key holds another token than the one to replace"}
	}
	return err
}

func sameToken(a, b *oauth2.Token) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken
}

// renewLease extends the lease while its owner holds it; release deletes
// it only for its owner.
var (
	renewLease = redis.NewScript(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) end return 0`)
	release    = redis.NewScript(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`)
)

// Lock takes the lease, waiting (up to Wait) while another holds it, and
// renews it until the returned function releases it.
func (s *Store) Lock(ctx context.Context) (func(), error) {
	s.init()
	select {
	case s.local <- struct{}{}:
	case <-ctx.Done():
		return nil, storeErr("waiting for this process's other holder of the lock", ctx.Err())
	}
	owner := newOwner()
	lease := orDefault(s.Lease, DefaultLease)
	deadline := time.Now().Add(orDefault(s.Wait, DefaultWait))
	for wait := 5 * time.Millisecond; ; wait = min(wait*2, 100*time.Millisecond) {
		var ok bool
		err := s.call(ctx, "lock", func(ctx context.Context) error {
			var err error
			ok, err = s.Client.SetNX(ctx, s.lockKey(), owner, lease).Result()
			return err
		})
		if err != nil {
			<-s.local
			return nil, err
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			<-s.local
			return nil, storeErr("the lock is still held by another process after "+orDefault(s.Wait, DefaultWait).String(), nil)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			<-s.local
			return nil, storeErr("waiting for another process's token request", ctx.Err())
		}
	}
	s.mu.Lock()
	s.owner = owner
	s.mu.Unlock()
	stop := make(chan struct{})
	go func() {
		tick := time.NewTicker(lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				s.call(context.Background(), "lease renewal", func(ctx context.Context) error {
					return renewLease.Run(ctx, s.Client, []string{s.lockKey()}, owner, lease.Milliseconds()).Err()
				})
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(stop)
			s.mu.Lock()
			s.owner = ""
			s.mu.Unlock()
			s.call(context.Background(), "unlock", func(ctx context.Context) error {
				return release.Run(ctx, s.Client, []string{s.lockKey()}, owner).Err()
			})
			<-s.local
		})
	}, nil
}

func newOwner() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// seal encrypts text with Seal (a fresh nonce, the key name as associated
// data), as "sealed:" and base64; without Seal, text as it is.
func (s *Store) seal(text string) (string, error) {
	if len(s.Seal) == 0 {
		return text, nil
	}
	g, err := s.aead()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		return "", storeErr("no randomness for the seal", err)
	}
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(g.Seal(nonce, nonce, []byte(text), []byte(s.Key))), nil
}

const sealedPrefix = "sealed:"

func (s *Store) unseal(raw string) (string, error) {
	sealed := strings.HasPrefix(raw, sealedPrefix)
	switch {
	case !sealed && len(s.Seal) == 0:
		return raw, nil
	case !sealed:
		return "", storeErr("the key holds a token that is not sealed, and the store seals: it is not used", nil)
	case len(s.Seal) == 0:
		return "", storeErr("the key holds a sealed token, and the store has no Seal key", nil)
	}
	g, err := s.aead()
	if err != nil {
		return "", err
	}
	b, err := base64.RawStdEncoding.DecodeString(raw[len(sealedPrefix):])
	if err != nil || len(b) < g.NonceSize() {
		return "", storeErr("the sealed token cannot be read", nil)
	}
	plain, err := g.Open(nil, b[:g.NonceSize()], b[g.NonceSize():], []byte(s.Key))
	if err != nil {
		return "", storeErr("the sealed token does not open with the Seal key (another key, or another Redis key's text)", nil)
	}
	return string(plain), nil
}

func (s *Store) aead() (cipher.AEAD, error) {
	b, err := aes.NewCipher(s.Seal)
	if err != nil {
		return nil, storeErr("Seal is not an AES key of 16, 24 or 32 bytes", nil)
	}
	return cipher.NewGCM(b)
}

// Format prints the key only: no client, no seal key.
func (s *Store) Format(f fmt.State, verb rune) { io.WriteString(f, "redisstore.Store{Key: "+s.Key+"}") }

var (
	_ oauth2.Store  = (*Store)(nil)
	_ oauth2.Locker = (*Store)(nil)
)
