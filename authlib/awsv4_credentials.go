package authlib

import (
	"context"
	"errors"
	"sync"
	"time"
)

// awsCredCache holds temporary credentials from AWSV4.Credentials, and the
// one call that renews them.
type awsCredCache struct {
	mu       sync.Mutex
	creds    AWSCredentials
	obtained time.Time
	ok       bool
	renewing chan struct{} // closed when the call in flight returns
	err      error         // its error, for those that waited on it
}

// awsMaxSkew is how long before they expire credentials are renewed, at
// most: a quarter of their lifetime when that is shorter.
const awsMaxSkew = 5 * time.Minute

// credentials returns the credentials to sign with, checked.
func (a *AWSV4) credentials(ctx context.Context) (AWSCredentials, error) {
	if a.Credentials == nil {
		return checkAWSCredentials(AWSCredentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey, SessionToken: a.SessionToken})
	}
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	cellMu.Lock()
	if a.creds == nil {
		a.creds = &awsCredCache{}
	}
	c := a.creds
	cellMu.Unlock()
	for {
		c.mu.Lock()
		t := now()
		if c.ok && (c.creds.Expires.IsZero() || t.Before(c.creds.Expires.Add(-min(awsMaxSkew, c.creds.Expires.Sub(c.obtained)/4)))) {
			creds := c.creds
			c.mu.Unlock()
			return creds, nil
		}
		if wait := c.renewing; wait != nil {
			c.mu.Unlock()
			select {
			case <-wait:
			case <-ctx.Done():
				return AWSCredentials{}, awsCtxError(ctx)
			}
			c.mu.Lock()
			err := c.err
			c.mu.Unlock()
			if err != nil {
				return AWSCredentials{}, err
			}
			continue
		}
		done := make(chan struct{})
		c.renewing = done
		c.mu.Unlock()

		creds, err := a.fetchCredentials(ctx)
		c.mu.Lock()
		c.renewing, c.err = nil, err
		if err == nil {
			c.creds, c.obtained, c.ok = creds, now(), true
		}
		c.mu.Unlock()
		close(done)
		return creds, err
	}
}

// fetchCredentials calls Credentials once, recovering from a panic.
func (a *AWSV4) fetchCredentials(ctx context.Context) (creds AWSCredentials, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = credentialError("aws4", "the credentials function panicked")
		}
	}()
	creds, err = a.Credentials(ctx)
	if err != nil {
		// A function still at work when the request's time ran out (or it
		// was canceled) refused nothing.
		if cause := context.Cause(ctx); cause != nil {
			kind := ErrCanceled
			if errors.Is(cause, context.DeadlineExceeded) {
				kind = ErrTimeout
			}
			return AWSCredentials{}, &Error{Kind: kind, Op: "aws4", Detail: "the request ended while the credentials function was at work", Err: err}
		}
		return AWSCredentials{}, &Error{Kind: ErrInvalidCredentials, Op: "aws4", Detail: "the credentials function failed", Err: err}
	}
	return checkAWSCredentials(creds)
}

// checkAWSCredentials refuses credentials that cannot sign, saying why
// without repeating them.
func checkAWSCredentials(c AWSCredentials) (AWSCredentials, error) {
	switch {
	case c.AccessKeyID == "":
		return c, credentialError("aws4", "the access key id is empty")
	case !awsScopePart(c.AccessKeyID):
		return c, credentialError("aws4", "the access key id is not letters and digits")
	case c.SecretAccessKey == "":
		return c, credentialError("aws4", "the secret access key is empty")
	}
	if r := checkCredential("the secret access key", c.SecretAccessKey); r != "" {
		return c, credentialError("aws4", r)
	}
	if r := CheckHeaderValue(c.SessionToken); r != "" {
		return c, credentialError("aws4", "the session token "+r)
	}
	return c, nil
}

// awsCtxError is the error of a wait for credentials that ctx ended.
func awsCtxError(ctx context.Context) error {
	err := context.Cause(ctx)
	kind := ErrCanceled
	if errors.Is(err, context.DeadlineExceeded) {
		kind = ErrTimeout
	}
	return &Error{Kind: kind, Op: "aws4", Detail: "waiting for credentials", Err: err}
}
