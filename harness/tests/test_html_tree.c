/* Tests for report/html_tree.c: elements, text and attributes always hold
 * valid UTF-8 without the control bytes XML forbids. */
#include "fixtures/report/report_fixture.h"
#include "report/html_tree.h"

static xmlNodePtr new_root(xmlDocPtr *doc)
{
	*doc = xmlNewDoc(X("1.0"));
	xmlNodePtr root = xmlNewNode(NULL, X("body"));
	xmlDocSetRootElement(*doc, root);
	return root;
}

/* The text a node holds (all its text children). */
static void assert_text(xmlNodePtr n, const char *want)
{
	xmlChar *got = xmlNodeGetContent(n);
	assert_string_equal((const char *)got, want);
	xmlFree(got);
}

static void assert_attr(xmlNodePtr n, const char *name, const char *want)
{
	char *got = prop(n, name);
	assert_non_null(got);
	assert_string_equal(got, want);
	xmlFree(got);
}

static void test_el(void **state)
{
	(void)state;
	xmlDocPtr doc;
	xmlNodePtr body = new_root(&doc);

	xmlNodePtr p = html_el(body, "p", "a\xff<b>\x01\t\r\n\x7f \xc3\xa9");
	assert_string_equal((const char *)p->name, "p");
	assert_ptr_equal(p->parent, body);
	assert_text(p, "a" R "<b>" R "\t\r\n" R " \xc3\xa9");
	xmlNodePtr empty = html_el(body, "div", NULL);
	assert_null(empty->children);
	xmlNodePtr blank = html_el(body, "span", "");
	assert_text(blank, "");
	xmlNodePtr f = html_elf(body, "td", "%d of %s\xfe", 3, "x\x02");
	assert_text(f, "3 of x" R R);
	assert_int_equal(count(body, "p", NULL) + count(body, "div", NULL) + count(body, "td", NULL), 3);
	xmlFreeDoc(doc);
}

static void test_add_text(void **state)
{
	(void)state;
	xmlDocPtr doc;
	xmlNodePtr body = new_root(&doc);

	html_add_text(body, "one\x1b[0m two", 5);
	html_add_text(body, "\xe2\x82\xac\xe2\x82", 5);
	html_add_text(body, "", 0);
	assert_text(body, "one" R "[\xe2\x82\xac" R R);
	assert_tree_clean(body);
	xmlFreeDoc(doc);
}

static void test_attributes(void **state)
{
	(void)state;
	xmlDocPtr doc;
	xmlNodePtr body = new_root(&doc);
	xmlNodePtr a = html_el(body, "a", "x");

	html_set(a, "href", "dir\xff/\"file\"\x05");
	assert_attr(a, "href", "dir" R "/\"file\"" R);
	html_setf(a, "id", "run-%zu-%s", (size_t)7, "\x80");
	assert_attr(a, "id", "run-7-" R);
	/* set again: replaced */
	html_setf(a, "id", "run-%d", 8);
	assert_attr(a, "id", "run-8");
	assert_text(a, "x");
	assert_tree_clean(body);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_el),
		cmocka_unit_test(test_add_text),
		cmocka_unit_test(test_attributes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
