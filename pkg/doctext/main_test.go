package doctext

import (
	"os"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/isolate"
)

// TestMain lets this test binary serve as the PDF child, so the tests read
// PDFs through the process boundary, as apkaudit does.
func TestMain(m *testing.M) {
	isolate.Serve(PDFJob)
	os.Exit(m.Run())
}
