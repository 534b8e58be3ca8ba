package collect

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBesideFirst: the start-up tasks go right after each worker's first
// (largest) task, before the rest, in their own order, whatever their cost.
func TestBesideFirst(t *testing.T) {
	big := func(c int64) task { return task{cost: c} }
	side := func(c int64) task { return task{cost: c, beside: true} }
	tests := []struct {
		name  string
		tasks []task // sorted by cost, as runTasks sorts them
		jobs  int
		want  []int64 // the costs in the resulting order
	}{
		{"two workers", []task{big(9), big(8), big(3), side(0), side(0)}, 2, []int64{9, 8, 0, 0, 3}},
		{"one worker", []task{big(9), big(8), side(0)}, 1, []int64{9, 0, 8}},
		{"fewer tasks than workers", []task{big(9), side(0)}, 4, []int64{9, 0}},
		{"only beside tasks", []task{side(2), side(1)}, 2, []int64{2, 1}},
		{"a costly beside task", []task{side(99), big(9), big(8), big(1)}, 2, []int64{9, 8, 99, 1}},
		{"none", nil, 2, []int64{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := []int64{}
			for _, x := range besideFirst(tc.tasks, tc.jobs) {
				got = append(got, x.cost)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestRunTasksBesideOrder: with one worker the tasks run in the order
// besideFirst gives: the largest, then the start-up work, then the rest.
func TestRunTasksBesideOrder(t *testing.T) {
	var ran []string
	b := &builder{opt: Options{Jobs: 1}}
	add := func(name string, cost int64, beside bool) task {
		return task{cost: cost, beside: beside, run: func(*worker) { ran = append(ran, name) }}
	}
	tasks := []task{add("small", 1, false), add("prepare", 0, true), add("largest", 100, false), add("middle", 50, false)}
	b.runTasks(context.Background(), tasks)
	assert.Equal(t, []string{"largest", "prepare", "middle", "small"}, ran)
}

// TestPrepare: Options.Prepare runs once per build of an archive, on the
// pool; a panic in it leaves the build and its warnings alone.
func TestPrepare(t *testing.T) {
	calls := 0
	clean, err := build(t, codereads(t), Options{})
	require.NoError(t, err)
	inv, err := build(t, codereads(t), Options{Prepare: func() { calls++ }})
	require.NoError(t, err)
	assert.Equal(t, 1, calls)
	assert.Equal(t, clean.Warnings, inv.Warnings)
	inv, err = build(t, codereads(t), Options{Prepare: func() { panic("catalogue") }})
	require.NoError(t, err)
	assert.Equal(t, clean.Warnings, inv.Warnings)
}
