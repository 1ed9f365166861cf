// Package errs is hyperdesk's one error vocabulary: a small set of codes that
// every layer returns and that app maps to HTTP statuses in one place.
//
// An *Error carries a Code, a Message that is safe to show users, an optional
// form Field the message belongs to, and the wrapped cause, which is logged but
// never shown. Code, message and field are read back with CodeOf, MessageOf and
// FieldOf, which look through wrapping with errors.As.
//
//	p, err := store.FindProduct(ctx, id)
//	if err != nil {
//		return err // db translated sql.ErrNoRows into errs.NotFound
//	}
//	if p.Stock < qty {
//		e := errs.E(errs.Invalid, "only %d left in stock", p.Stock)
//		e.Field = "quantity"
//		return e
//	}
//
//	errs.CodeOf(err)    // errs.NotFound
//	errs.MessageOf(err) // "not found"
//
// This package is a leaf: it imports only the standard library.
package errs

import (
	"errors"
	"fmt"
)

// Code classifies an error; app maps each code to one HTTP status.
type Code string

// The codes, from the caller's point of view.
const (
	// Invalid: the input is wrong; fix it and try again (422).
	Invalid Code = "invalid"
	// NotFound: the record does not exist (404).
	NotFound Code = "not_found"
	// Conflict: the request clashes with the current state, such as a duplicate
	// value or a stale version (409).
	Conflict Code = "conflict"
	// Forbidden: the user is known but may not do this (403).
	Forbidden Code = "forbidden"
	// Unauthorized: the user must sign in first (401).
	Unauthorized Code = "unauthorized"
	// Unavailable: a dependency such as the database is down or too slow;
	// trying again later may work (503).
	Unavailable Code = "unavailable"
	// TooLarge: the request or upload is too big (413).
	TooLarge Code = "too_large"
	// Unsupported: the request body comes in a type or encoding the app
	// does not read (415).
	Unsupported Code = "unsupported"
	// Internal: a bug or an unexpected failure; logged with detail, shown
	// to users only as a generic message (500).
	Internal Code = "internal"
)

// internalMessage is all users ever see of an internal error.
const internalMessage = "Something went wrong on our side. Please try again."

// defaultMessages are shown when an error of that code carries no message.
var defaultMessages = map[Code]string{
	Invalid:      "The input is not valid.",
	NotFound:     "Not found.",
	Conflict:     "This conflicts with the current data.",
	Forbidden:    "You are not allowed to do this.",
	Unauthorized: "Please sign in.",
	Unavailable:  "The service is temporarily unavailable. Please try again.",
	TooLarge:     "The request is too large.",
	Unsupported:  "The request is in a format this site does not read.",
	Internal:     internalMessage,
}

// Error is an error with a code, a user-safe message and an optional form field.
type Error struct {
	// Code classifies the error. An empty Code counts as Internal.
	Code Code
	// Message is safe to show users. It must never contain driver or system text.
	Message string
	// Field optionally names the form field the message belongs to, such as "sku".
	Field string
	// Err is the wrapped cause. It is logged, never shown.
	Err error
}

// Error returns the message followed by the cause, for logs; users should be
// shown MessageOf instead.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = string(e.code())
	}
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the wrapped cause, or nil.
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) code() Code {
	if e.Code == "" {
		return Internal
	}
	return e.Code
}

// E returns a new *Error with code and a message formatted as by fmt.Sprintf.
// The message is shown to users: never put driver or system text in it.
func E(code Code, msg string, args ...any) *Error {
	if len(args) > 0 {
		msg = fmt.Sprintf(msg, args...)
	}
	return &Error{Code: code, Message: msg}
}

// Wrap returns a new *Error with code and the user-safe msg that wraps err as
// its cause. It returns a non-nil *Error even when err is nil.
func Wrap(code Code, err error, msg string) *Error {
	return &Error{Code: code, Message: msg, Err: err}
}

// CodeOf returns the code of the first *Error in err's chain, Internal when
// the chain holds none, and "" when err is nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.code()
	}
	return Internal
}

// MessageOf returns the user-safe message of the first *Error in err's chain.
// Internal and unknown errors get a generic message, an *Error without a
// message gets its code's default, and nil gets "".
func MessageOf(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) || e.code() == Internal {
		return internalMessage
	}
	if e.Message != "" {
		return e.Message
	}
	if msg, ok := defaultMessages[e.code()]; ok {
		return msg
	}
	return internalMessage
}

// FieldOf returns the form field of the first *Error in err's chain, or ""
// when there is none.
func FieldOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
