// Package find holds the Go listings of chapter 7, "Finding leaks": what
// goleak reports about chapter 1's leaky job, why it retries before it
// reports, and what the Go toolchain of this workbook (1.23) offers and
// does not offer for finding a leaked goroutine.
package find
