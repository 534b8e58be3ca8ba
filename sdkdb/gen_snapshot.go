//go:build ignore

// gen_snapshot writes catalogue_gen.go from sdks/*.yaml, refusing a catalogue
// with validation errors. Run it with go generate ./sdkdb.
package main

import (
	"fmt"
	"os"

	"github.com/apkaudit/apkaudit/sdkdb"
)

func main() {
	c, err := sdkdb.EmbeddedSource()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bad := 0
	for _, p := range sdkdb.Validate(c) {
		if !p.Warning {
			fmt.Fprintln(os.Stderr, p.Error())
			bad++
		}
	}
	if bad > 0 {
		os.Exit(1)
	}
	f, err := os.Create("catalogue_gen.go")
	if err == nil {
		err = sdkdb.WriteSnapshot(f, c)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("catalogue_gen.go: %d entries, version %s\n", len(c.Entries), c.Version)
}
