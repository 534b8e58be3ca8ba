// Command apkaudit audits Android builds against their Chinese privacy policies.
package main

import (
	"os"

	"github.com/apkaudit/apkaudit/cmd/apkaudit/internal/cli"
	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/isolate"
)

func main() {
	isolate.Serve(doctext.PDFJob) // a child started to read one PDF runs it and exits here
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
