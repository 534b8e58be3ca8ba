package sdkdb

import "embed"

// files holds the built-in catalogue, one YAML file per vendor or product line:
// the source of truth that catalogue_gen.go is generated from.
//
//go:embed sdks/*.yaml
var files embed.FS
