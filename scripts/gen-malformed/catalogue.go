package main

import (
	"fmt"
	"strings"
)

// Hostile --sdkdb catalogues of issue 12: a flood of aliases and of entries
// past the file cap, one entry past the entry limit under it, and one at
// every count limit, whose vendors are all brands of each other's names, so
// that matching it shows whether the matcher grows with the square.
const (
	catFloodSize   = 15_500_000 // aliases-flood.yaml: one entry, about a million aliases
	catManyEntries = 60_000     // entries-60k.yaml
	catLimit       = 5_000      // limits.CatalogueEntries (the generator does not import apkaudit)
	catNearLimit   = 4_600      // at-limits.yaml: with the 334 embedded entries, under the limit
	catAliasEach   = 5          // at-limits.yaml: 4,600 x 5 + the embedded 1,815 is just under limits.CatalogueAliases
)

func (g *gen) catalogues() error {
	var flood strings.Builder
	flood.WriteString("- id: flood-sdk\n  name: Flood\n  name_zh: 洪水\n  vendor: 洪水科技有限公司\n  category: analytics\n  signals:\n    dex_packages: [com.flood]\n  aliases:\n")
	for i := 0; flood.Len() < catFloodSize; i++ {
		fmt.Fprintf(&flood, "  - 别名%07dSDK\n", i)
	}
	cases := []struct {
		name, what string
		data       string
	}{
		{"sdkdb/aliases-flood.yaml", "one entry with a million aliases, 15.5 MB", flood.String()},
		{"sdkdb/entries-60k.yaml", "60,000 entries, 10 MB", catEntries(catManyEntries, 2)},
		{"sdkdb/entries-over.yaml", "5,001 entries under the file cap: one past the entry limit", catEntries(catLimit+1, 0)},
		{"sdkdb/at-limits.yaml", "4,600 entries of 5 aliases (with the embedded catalogue, just under the limits), every vendor a brand inside the next one's name", catEntries(catNearLimit, catAliasEach)},
	}
	for _, c := range cases {
		if err := g.write(c.name, c.what, []byte(c.data)); err != nil {
			return err
		}
	}
	return nil
}

// catEntries writes n entries of aliases aliases each. Entry i's vendor is
// the short name 星河i and its vendor alias the legal name
// 北京星河i星河i+1科技有限公司, which holds the next entry's brand: a grouping
// that tests every brand against every name does n*n work.
func catEntries(n, aliases int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "- id: e-%d\n  name: E%d\n  name_zh: 条目%d\n  vendor: 星河%d\n  vendor_aliases: [北京星河%d星河%d科技有限公司]\n  category: analytics\n  signals:\n    dex_packages: [com.e%d.x]\n", i, i, i, i, i, i+1, i)
		if aliases > 0 {
			b.WriteString("  aliases: [")
			for j := range aliases - 1 {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "条目%d别名%dSDK", i, j)
			}
			b.WriteString("]\n")
		}
	}
	return b.String()
}
