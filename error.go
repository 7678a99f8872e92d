// Package arena holds the domain types shared by every module. It imports only the
// standard library and github.com/google/uuid (the id type every module and every
// generated query already uses), so that any module, worker or command can depend on it.
package arena

import (
	"errors"
	"fmt"
)

// Error codes are stable, machine-readable and part of the public API: clients switch on
// them, so a code is never renamed. The HTTP layer maps each to one status.
const (
	EINVALID      = "invalid"      // the request is malformed or breaks a rule of the input
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EFORBIDDEN    = "forbidden"    // valid credentials, but not allowed to do this
	ENOTFOUND     = "not_found"    // the object does not exist (or the caller may not know it does)
	ECONFLICT     = "conflict"     // the object's current state forbids the operation
	ERATELIMITED  = "rate_limited" // too many attempts; retry later
	EGONE         = "gone"         // what was asked for existed once and has been deleted (old events)
	EUNAVAILABLE  = "unavailable"  // a dependency (the database) is not ready
	EINTERNAL     = "internal"     // a bug or an unexpected failure; details are only logged
	// EKEYREUSED: the Idempotency-Key was already used for a different request (422, like
	// invalid, but a client retrying must tell the two apart: this one is its own bug).
	EKEYREUSED = "idempotency_key_reused"
)

// Error is an error whose Code and Message are safe to show to a client. Any error that is
// not an *Error is treated as internal and its text never leaves the process.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("arena error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted, client-safe message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of the first *Error in err's chain, or a
// generic text for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
