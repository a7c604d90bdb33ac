// This file is checked by go vet in TestVetReportsALostCancel, never built
// (testdata is ignored by ./...).
package lostcancel

import (
	"context"
	"time"
)

// ANCHOR: lostcancel
func fetch(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // no defer cancel()
	if ctx.Err() != nil {
		return ctx.Err() // this path never calls cancel: the timer and ctx leak until the deadline
	}
	cancel()
	return nil
}

// ANCHOR_END: lostcancel
