package errs_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/errs"
)

func TestAccessors(t *testing.T) {
	skuTaken := errs.Wrap(errs.Conflict, io.EOF, "this value is already in use")
	skuTaken.Field = "sku"

	tests := []struct {
		name      string
		err       error
		wantCode  errs.Code
		wantMsg   string
		wantField string
	}{
		{name: "nil", err: nil, wantCode: "", wantMsg: "", wantField: ""},
		{name: "plain error is internal", err: io.EOF, wantCode: errs.Internal, wantMsg: "Something went wrong on our side. Please try again."},
		{name: "not found", err: errs.E(errs.NotFound, "product %d not found", 7), wantCode: errs.NotFound, wantMsg: "product 7 not found"},
		{name: "percent without args is kept", err: errs.E(errs.Invalid, "must be 100%"), wantCode: errs.Invalid, wantMsg: "must be 100%"},
		{name: "field", err: skuTaken, wantCode: errs.Conflict, wantMsg: "this value is already in use", wantField: "sku"},
		{name: "wrapped by fmt", err: fmt.Errorf("saving: %w", skuTaken), wantCode: errs.Conflict, wantMsg: "this value is already in use", wantField: "sku"},
		{name: "internal message is hidden", err: errs.Wrap(errs.Internal, io.EOF, "reading /etc/secret failed"), wantCode: errs.Internal, wantMsg: "Something went wrong on our side. Please try again."},
		{name: "empty code is internal", err: &errs.Error{Message: "oops"}, wantCode: errs.Internal, wantMsg: "Something went wrong on our side. Please try again."},
		{name: "default message", err: &errs.Error{Code: errs.Forbidden}, wantCode: errs.Forbidden, wantMsg: "You are not allowed to do this."},
		{name: "too large", err: errs.E(errs.TooLarge, ""), wantCode: errs.TooLarge, wantMsg: "The request is too large."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errs.CodeOf(tt.err); got != tt.wantCode {
				t.Errorf("CodeOf() = %q, want %q", got, tt.wantCode)
			}
			if got := errs.MessageOf(tt.err); got != tt.wantMsg {
				t.Errorf("MessageOf() = %q, want %q", got, tt.wantMsg)
			}
			if got := errs.FieldOf(tt.err); got != tt.wantField {
				t.Errorf("FieldOf() = %q, want %q", got, tt.wantField)
			}
		})
	}
}

func TestErrorStringAndUnwrap(t *testing.T) {
	cause := errors.New("pq: duplicate key")
	e := errs.Wrap(errs.Conflict, cause, "already exists")
	e.Field = "sku"

	if got, want := e.Error(), "sku: already exists: pq: duplicate key"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, cause) {
		t.Errorf("errors.Is(e, cause) = false, want true")
	}
	if got := errs.E(errs.NotFound, "").Error(); !strings.Contains(got, "not_found") {
		t.Errorf("Error() without message = %q, want it to name the code", got)
	}
	if got := errs.Wrap(errs.Internal, nil, "x"); got == nil || got.Unwrap() != nil {
		t.Errorf("Wrap(nil) = %v, want a non-nil *Error without cause", got)
	}
}
