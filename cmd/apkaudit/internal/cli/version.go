package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/sdkdb"
)

// Set at build time by make release:
//
//	-ldflags "-X github.com/apkaudit/apkaudit/cmd/apkaudit/internal/cli.Version=v1.2.3
//	          -X …/cli.Commit=<sha> -X …/cli.Date=<RFC 3339>"
//
// Left empty, they come from the build information Go records: the module
// version of a go install …@v1.2.3, and the VCS commit and date of a build
// in a checkout.
var (
	Version string
	Commit  string
	Date    string
)

// BuildInfo is what apkaudit version prints.
type BuildInfo struct {
	Version  string `json:"version"`
	Commit   string `json:"commit,omitempty"`
	Date     string `json:"date,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
	// SDKDBVersion and SDKDBEntries describe the embedded catalogue.
	SDKDBVersion string `json:"sdkdb_version"`
	SDKDBEntries int    `json:"sdkdb_entries"`
}

// readBuildInfo is debug.ReadBuildInfo, replaced in tests.
var readBuildInfo = debug.ReadBuildInfo

// toolVersion is the version reports carry: the stamped one, else the
// module's, else "devel".
func toolVersion() string {
	b := currentBuild()
	return b.Version
}

// currentBuild is the build's identity, from the -X stamps first and the
// Go build information second; the catalogue is left to versionInfo.
func currentBuild() BuildInfo {
	b := BuildInfo{Version: Version, Commit: Commit, Date: Date, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info, ok := readBuildInfo(); ok {
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				b.Modified = s.Value == "true" && Commit == ""
			}
		}
	}
	if b.Version == "" {
		b.Version = "devel"
	}
	return b
}

// versionInfo is currentBuild with the embedded catalogue's version and size.
func versionInfo() (BuildInfo, error) {
	b := currentBuild()
	c, err := sdkdb.Embedded()
	if err != nil {
		return b, fmt.Errorf("embedded catalogue: %w", err)
	}
	b.SDKDBVersion, b.SDKDBEntries = c.Version, len(c.Entries)
	return b, nil
}

// versionText is the text of apkaudit version and --version.
func (b BuildInfo) versionText() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "apkaudit %s\n", b.Version)
	commit := b.Commit
	if commit == "" {
		commit = "unknown"
	}
	if b.Modified {
		commit += " (modified)"
	}
	fmt.Fprintf(&sb, "  commit:    %s\n", commit)
	if b.Date != "" {
		fmt.Fprintf(&sb, "  date:      %s\n", b.Date)
	}
	fmt.Fprintf(&sb, "  go:        %s %s\n", b.Go, b.Platform)
	fmt.Fprintf(&sb, "  catalogue: %s (%d SDKs)\n", b.SDKDBVersion, b.SDKDBEntries)
	return sb.String()
}

func newVersion(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date, the Go version, and the catalogue's version and size",
		Example: `  apkaudit version
  apkaudit version --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := versionInfo()
			if err != nil {
				return err
			}
			return writeVersion(g.stdout, b, g.format)
		},
	}
}

// writeVersion writes b as text, or as JSON for --format json.
func writeVersion(w io.Writer, b BuildInfo, format string) error {
	if strings.EqualFold(format, "json") {
		out, _ := json.MarshalIndent(b, "", "  ")
		_, err := fmt.Fprintf(w, "%s\n", out)
		return err
	}
	_, err := io.WriteString(w, b.versionText())
	return err
}
