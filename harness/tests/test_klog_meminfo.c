/* Tests for klog/meminfo: counters, zones, lowmem_reserve, buddy lists,
 * totals, read line by line into one event. */
#include "klog_test_util.h"

#undef skip	/* cmocka's, not the span reader */
#include "klog/meminfo.h"

#define SPAN(lit) mkspan((lit), sizeof(lit) - 1)

static void test_meminfo_lines(void **state)
{
	struct klog *k = klog_new();
	struct oom_event *ev = new_event(k, true);
	const struct buddy *b;

	(void)state;
	assert_true(parse_kv_tokens(ev, &ev->meminfo, SPAN("active_anon:100 inactive_anon:200 free:7"), true));
	assert_false(parse_kv_tokens(ev, &ev->meminfo, SPAN("Node 0 active_anon:1"), true));
	assert_int_equal(kv_get(&ev->meminfo, "inactive_anon"), 200);
	assert_int_equal(kv_get(&ev->meminfo, "free"), 7);

	assert_true(on_node_line(k, ev, SPAN("Node 1 DMA32 free:1200kB min:1000kB low:1100kB high:1300kB")));
	assert_int_equal(ev->nzones, 1);
	assert_int_equal(ev->zones[0].node, 1);
	assert_string_equal(ev->zones[0].zone, "DMA32");
	assert_int_equal(kv_get(&ev->zones[0].vals, "min"), 1000);
	on_lowmem(ev, SPAN(" 0 1 2 3"));
	assert_int_equal(ev->zones[0].nlowmem, 4);
	assert_int_equal(ev->zones[0].lowmem[3], 3);

	/* a buddy line cut before "= TkB" waits for its pr_cont rest */
	assert_true(on_node_line(k, ev, SPAN("Node 1 DMA32: 1*4kB (U) 2*8kB (M) ")));
	assert_int_equal(k->pending, PEND_BUDDY);
	b = &ev->buddies[0];
	assert_int_equal(b->norders, 2);
	assert_false(parse_buddy_entries(&ev->buddies[0], SPAN("0*16kB")));
	assert_true(parse_buddy_entries(&ev->buddies[0], SPAN("0*32kB = 20kB")));
	assert_int_equal(b->norders, 4);
	assert_int_equal(b->count[1], 2);
	assert_int_equal(b->size_kb[1], 8);
	assert_string_equal(b->types[1], "M");
	assert_null(b->types[3]);
	assert_int_equal(b->total_kb, 20);

	assert_true(on_total(ev, SPAN("32768 pages RAM")));
	assert_true(on_total(ev, SPAN("12 pages of RAM")));	/* the same key */
	assert_false(on_total(ev, SPAN("5 pages of something")));
	assert_int_equal(kv_get(&ev->totals, "pages_ram"), 12);
	assert_false(on_node_line(k, ev, SPAN("Nodes are fine")));
	klog_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meminfo_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
