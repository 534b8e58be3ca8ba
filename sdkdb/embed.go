package sdkdb

import (
	"embed"
	"errors"
	"sync"
)

// files holds the built-in catalogue, one YAML file per vendor or product line.
//
//go:embed sdks/*.yaml
var files embed.FS

// Embedded returns the built-in catalogue, loaded on first use. Every caller
// gets the same *Catalogue (read-only) and the same error. It fails on a file
// that does not decode and on Validate problems that make the catalogue unusable
// (missing required fields, bad ids or globs, duplicate ids); the remaining
// problems (warnings) are caught by the package tests and `apkaudit sdkdb validate`.
var Embedded = sync.OnceValues(func() (*Catalogue, error) {
	c, err := Load(files)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, p := range Validate(c) {
		if !p.Warning {
			errs = append(errs, p)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
})
