package cli

import (
	"io"
	"os"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/inventory"
)

// writeFile creates path and lets fn write it.
func writeFile(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func waiverWarning(what string, w audit.Waiver) inventory.Warning {
	return inventory.Warning{Source: "config", Message: "waiver " + w.Rule + " " + w.Subject + " " + what}
}
