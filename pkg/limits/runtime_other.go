//go:build !linux

package limits

import "math"

// memoryCeiling: outside Linux apkaudit reads no ceiling; the runtime's
// default (no soft limit) stands.
func memoryCeiling() int64 { return math.MaxInt64 }

// AddressSpaceLeft: outside Linux no address-space limit is read.
func AddressSpaceLeft() int64 { return math.MaxInt64 }
