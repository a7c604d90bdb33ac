package main

import (
	"expvar"
	"runtime"
)

// ANCHOR: gauge
// The gauge that would have shown the leak: expvar serves every published
// variable as JSON at /debug/vars (mount expvar.Handler() on the service's
// admin port), where a monitoring system reads it and can alert when the
// count keeps growing.
func init() {
	expvar.Publish("goroutines", expvar.Func(func() any {
		return runtime.NumGoroutine()
	}))
}

// ANCHOR_END: gauge
