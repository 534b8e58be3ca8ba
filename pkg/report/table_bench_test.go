package report

import (
	"io"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/stretchr/testify/require"
)

// BenchmarkTableDemo renders the demo check report as a terminal table at
// 100 columns: the cost of the table engine per report.
func BenchmarkTableDemo(b *testing.B) {
	o := demoOptions(CommandCheck, "zh")
	o.Width = 100
	v, err := NewView(o.cmd, []*audit.Result{demoCheck()}, o.Options)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if err := (tableRenderer{}).Render(io.Discard, v); err != nil {
			b.Fatal(err)
		}
	}
}
