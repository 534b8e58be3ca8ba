package policy

import "sort"

// successors maps a permission to the permissions later Android versions
// split from it, which a policy written for the older one discloses only
// by the group's wording: storage (存储) became READ_MEDIA_IMAGES, _VIDEO
// and _AUDIO in Android 13 and partial photo access in 14; Bluetooth (蓝牙)
// became BLUETOOTH_CONNECT, _SCAN and _ADVERTISE in Android 12. The phone
// number (READ_PHONE_NUMBERS, carved out of the phone state in Android 8) is
// not covered: it reveals more than the state, and must be named.
var successors = map[string][]string{
	"READ_EXTERNAL_STORAGE": {"READ_MEDIA_IMAGES", "READ_MEDIA_VIDEO", "READ_MEDIA_AUDIO", "READ_MEDIA_VISUAL_USER_SELECTED"},
	"READ_MEDIA_IMAGES":     {"READ_MEDIA_VISUAL_USER_SELECTED"},
	"READ_MEDIA_VIDEO":      {"READ_MEDIA_VISUAL_USER_SELECTED"},
	"BLUETOOTH":             {"BLUETOOTH_CONNECT", "BLUETOOTH_SCAN", "BLUETOOTH_ADVERTISE"},
	"BLUETOOTH_ADMIN":       {"BLUETOOTH_CONNECT", "BLUETOOTH_SCAN", "BLUETOOTH_ADVERTISE"},
}

// covered returns the successors of the disclosed permissions that the
// text does not disclose itself, each with the disclosures whose wording
// covers it, sorted by name.
func covered(disclosed []PermissionDisclosure) []CoveredPermission {
	have := map[string]bool{}
	for _, p := range disclosed {
		have[p.Name] = true
	}
	byName := map[string]*CoveredPermission{}
	for _, p := range disclosed {
		for _, s := range successors[shortName(p.Name)] {
			s = "android.permission." + s
			if have[s] {
				continue
			}
			c := byName[s]
			if c == nil {
				c = &CoveredPermission{Name: s}
				byName[s] = c
			}
			c.By = append(c.By, p.Name)
			for _, ph := range p.Phrases {
				c.Phrases = addUnique(c.Phrases, ph)
			}
			c.Lines = appendRefs(c.Lines, p.Lines)
		}
	}
	out := make([]CoveredPermission, 0, len(byName))
	for _, c := range byName {
		sort.Strings(c.By)
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// shortName is a platform permission's name without android.permission.
func shortName(name string) string {
	const prefix = "android.permission."
	if len(name) > len(prefix) && name[:len(prefix)] == prefix {
		return name[len(prefix):]
	}
	return ""
}

// appendRefs appends the references of more that refs lacks.
func appendRefs(refs, more []LineRef) []LineRef {
	for _, r := range more {
		dup := false
		for _, x := range refs {
			dup = dup || x == r
		}
		if !dup {
			refs = append(refs, r)
		}
	}
	return refs
}
