package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/apkaudit/apkaudit/pkg/sdk"
)

// JSONRead is one entry of code.reads: the call sites of one sensitive API
// in the code of one party (DESIGN.md: {api, data, permission, by, count,
// callers[]}; the other fields extend it).
type JSONRead struct {
	API string `json:"api"`
	// Constants are the string constants of a string entry ("android_id").
	Constants []string `json:"constants,omitempty"`
	Data      string   `json:"data"`
	Detail    string   `json:"detail,omitempty"`
	// Permission is the usual permission the API needs, "" when none;
	// Permissions lists every one that lets it succeed.
	Permission  string   `json:"permission"`
	Permissions []string `json:"permissions"`
	By          string   `json:"by"`
	Count       int      `json:"count"`
	Callers     []string `json:"callers"`
	// Classes is the number of calling classes, callers included.
	Classes    int  `json:"classes"`
	Reflective bool `json:"reflective,omitempty"`
}

// JSONSDKRead is one entry of sdks[].reads: a data type the SDK's code
// reads and the APIs it reads it through.
type JSONSDKRead struct {
	Data string   `json:"data"`
	APIs []string `json:"apis"`
}

// JSONCallScan is code.call_scan: what the code scan covered.
type JSONCallScan struct {
	Ran          bool     `json:"ran"`
	DexFiles     int      `json:"dex_files"`
	Methods      int      `json:"methods"`
	Instructions int      `json:"instructions"`
	Incomplete   []string `json:"incomplete"`
	Loaders      []string `json:"loaders"`
}

func jsonReads(reads []sdk.Read) []JSONRead {
	out := []JSONRead{}
	for _, r := range reads {
		j := JSONRead{API: r.API, Constants: r.Constants, Data: r.Data, Detail: r.Detail,
			Permissions: nonNil(r.Permissions), By: r.By, Count: r.Count, Callers: nonNil(r.Callers),
			Classes: r.Classes, Reflective: r.Reflective}
		if len(r.Permissions) > 0 {
			j.Permission = r.Permissions[0]
		}
		out = append(out, j)
	}
	return out
}

func jsonCallScan(c inventory.CallScan) JSONCallScan {
	return JSONCallScan{Ran: c.Ran, DexFiles: c.DexFiles, Methods: c.Methods, Instructions: c.Instructions,
		Incomplete: nonNil(c.Incomplete), Loaders: nonNil(c.Loaders)}
}

// sdkReads groups the reads of party by into sdks[].reads, by data type.
func sdkReads(reads []JSONRead, by string) []JSONSDKRead {
	out := []JSONSDKRead{}
	for _, r := range reads {
		if r.By != by {
			continue
		}
		i := slices.IndexFunc(out, func(x JSONSDKRead) bool { return x.Data == r.Data })
		if i < 0 {
			out = append(out, JSONSDKRead{Data: r.Data, APIs: []string{}})
			i = len(out) - 1
		}
		if !slices.Contains(out[i].APIs, r.API) {
			out[i].APIs = append(out[i].APIs, r.API)
		}
	}
	slices.SortFunc(out, func(a, b JSONSDKRead) int { return cmp.Compare(a.Data, b.Data) })
	for i := range out {
		slices.Sort(out[i].APIs)
	}
	return out
}

// addReads fills the build's code reads, each SDK's reads and each
// permission's used_by from the result's reads.
func (b *Build) addReads(reads []sdk.Read, scan inventory.CallScan) {
	b.Code.Reads = jsonReads(reads)
	b.Code.CallScan = jsonCallScan(scan)
	for i := range b.SDKs {
		b.SDKs[i].Reads = sdkReads(b.Code.Reads, b.SDKs[i].ID)
	}
	for i := range b.Permissions {
		b.Permissions[i].UsedBy = nonNil(sdk.UsedBy(reads, b.Permissions[i].Name))
	}
}

// byName names a party in the report language: an SDK id as it is.
func (o Options) byName(by string) string {
	switch by {
	case sdk.ByApp:
		return o.t("by-app")
	case sdk.ByUnattributed:
		return o.t("by-unattributed")
	}
	return by
}

// usedByText is a permission's used_by in the report language, "-" when none.
func (o Options) usedByText(usedBy []string) string {
	if len(usedBy) == 0 {
		return "-"
	}
	names := make([]string, len(usedBy))
	for i, b := range usedBy {
		names[i] = o.byName(b)
	}
	return strings.Join(names, ", ")
}

// readsHeader and readRows are the code-reads table of the table, Markdown
// and HTML reports: party, data type, API, call sites, calling classes.
func (o Options) readsHeader() []string {
	return []string{o.t("by"), o.t("data-type"), o.t("api"), o.t("call-sites"), o.t("callers")}
}

func (o Options) readRows(reads []JSONRead) [][]string {
	var rows [][]string
	for _, r := range reads {
		data := r.Data
		switch {
		case !o.zh():
			data = policy.DataTypeInEnglish(r.Data, r.Detail)
		case r.Detail != "":
			data += " (" + r.Detail + ")"
		}
		api := r.API
		for _, c := range r.Constants {
			api += " " + strconv.Quote(c)
		}
		if r.Reflective {
			api += " (" + o.t("reflective") + ")"
		}
		callers := strings.Join(r.Callers, ", ")
		if more := r.Classes - len(r.Callers); more > 0 {
			callers += ", " + o.tf("more", more)
		}
		rows = append(rows, []string{o.byName(r.By), data, api, strconv.Itoa(r.Count), callers})
	}
	return rows
}

// callScanText summarises the code scan: "2 DEX files, 16 methods scanned;
// code loaded at run time by 1 class (…)".
func (o Options) callScanText(c JSONCallScan) string {
	if !c.Ran {
		return o.t("scan-off")
	}
	s := o.tf("scan-summary", c.DexFiles, c.Methods)
	for _, x := range c.Incomplete {
		s += "; " + x
	}
	if len(c.Loaders) > 0 {
		s += "; " + o.tf("scan-loaders", len(c.Loaders), listFirst(c.Loaders, 3))
	}
	return s
}

// listFirst joins the first n items and says how many more there are.
func listFirst(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s, +%d", strings.Join(items[:n], ", "), len(items)-n)
}
