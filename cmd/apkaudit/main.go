// Command apkaudit audits Android builds against their Chinese privacy policies.
package main

import (
	"os"

	"github.com/apkaudit/apkaudit/cmd/apkaudit/internal/cli"
	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/isolate"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

func main() {
	isolate.Serve(doctext.PDFJob) // a child started to read one PDF runs it and exits here
	limits.FitRuntime()           // under prlimit or a container's memory.max, collect before the ceiling
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
