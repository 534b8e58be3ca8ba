// Command apkaudit audits Android builds against their Chinese privacy policies.
package main

import (
	"os"

	"github.com/apkaudit/apkaudit/cmd/apkaudit/internal/cli"
)

func main() { os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr)) }
