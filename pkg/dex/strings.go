package dex

// FindStrings reports which of the strings in want are string constants
// (entries of the string table) of the DEX files in the image. The result
// maps each string found to the number of DEX files in the image whose
// string table holds it; strings not found are absent. An empty want costs
// nothing and returns a nil map.
//
// Each lookup is a binary search over the string table, which the DEX
// format keeps sorted by UTF-16 code units (ART refuses to load a DEX whose
// string_ids are out of order), so FindStrings decodes O(len(want) × log n)
// strings, and only as far as each comparison needs. On a hostile DEX with
// an unsorted table a lookup may miss a string that is present; it never
// reads outside the image.
func (f *File) FindStrings(want []string) (map[string]int, error) {
	if len(want) == 0 {
		return nil, nil
	}
	var found map[string]int
	seen := make(map[string]bool, len(want))
	var key []byte
	for _, w := range want {
		if seen[w] {
			continue
		}
		seen[w] = true
		key = EncodeMUTF8(key[:0], w)
		for k := range f.dexes {
			ok, err := f.hasString(&f.dexes[k], key)
			if err != nil {
				return nil, err
			}
			if ok {
				if found == nil {
					found = make(map[string]int)
				}
				found[w]++
			}
		}
	}
	return found, nil
}

// hasString binary-searches the string table of d for the MUTF-8 bytes key.
func (f *File) hasString(d *dexInfo, key []byte) (bool, error) {
	lo, hi := 0, d.strN
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		i, err := f.stringBody(d, d.strOff+stringIDSize*mid)
		if err != nil {
			return false, err
		}
		switch c := compareMUTF8(key, f.data[i:d.limit]); {
		case c == 0:
			return true, nil
		case c > 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return false, nil
}

// NumStrings returns the number of entries in the string tables of every
// DEX in the image.
func (f *File) NumStrings() int {
	n := 0
	for i := range f.dexes {
		n += f.dexes[i].strN
	}
	return n
}

// EachString calls fn with every entry of the string table of every DEX in
// the image, in table order, as UTF-8, and stops at the first error fn
// returns, which it returns. As with EachClassBytes, s usually aliases the
// image: it is valid only until fn returns and must not be modified. This
// decodes every string; to test for a few known strings use FindStrings.
func (f *File) EachString(fn func(s []byte) error) error {
	var scratch []byte
	// Not scanBudget(NumStrings()): the string_ids tables of a hostile
	// container may all overlap, so their sum is not bounded by the size.
	budget := f.scanBudget(len(f.data) / stringIDSize)
	for k := range f.dexes {
		d := &f.dexes[k]
		for i := 0; i < d.strN; i++ {
			s, err := f.stringData(d, uint32(i), &budget)
			if err != nil {
				return err
			}
			if scratch, err = emitString(s, scratch, fn); err != nil {
				return err
			}
		}
	}
	return nil
}
