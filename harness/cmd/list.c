/* list: targets and cases. */
#include "cmd/list.h"
#include "case/casefile.h"
#include "cmd/common.h"
#include "target/target.h"

#include <stdio.h>
#include <stdlib.h>

static void list_targets(const char *root)
{
	struct target_list tl;
	struct strbuf err = STRBUF_INIT;

	printf("targets:\n");
	if (load_targets(&tl, root, &err)) {
		printf("  (none: %s)\n", err.buf);
	} else {
		for (size_t i = 0; i < tl.n; i++)
			printf("  %-10s %-7s %-18s %s\n", tl.v[i].name, tl.v[i].arch, tl.v[i].release,
			       target_boot_name(&tl.v[i]));
		targets_release(&tl);
	}
	strbuf_release(&err);
}

int cmd_list(int argc, char **argv)
{
	char *root = project_root();
	struct strbuf err = STRBUF_INIT, cdir = STRBUF_INIT;
	char **paths = NULL;
	size_t npaths = 0;
	int ret = 0;

	list_targets(root);
	strbuf_addf(&cdir, "%s/cases", root);
	char *def[] = { cdir.buf };
	if (collect_case_paths(argc > 1 ? argv + 1 : def, argc > 1 ? argc - 1 : 1, &paths, &npaths))
		ret = 2;
	printf("cases:\n");
	for (size_t i = 0; i < npaths; i++) {
		struct oomcase *cs = NULL;
		size_t n = 0;
		strbuf_reset(&err);
		if (case_load_all(paths[i], &cs, &n, &err)) {
			printf("  %s", err.buf); /* "file:line: message" lines */
			ret = 2;
		} else {
			printf("  %-28s %s", cs[0].name, cs[0].description ? cs[0].description : "");
			printf(n > 1 ? " (%zu runs)\n" : "\n", n);
		}
		for (size_t k = 0; k < n; k++)
			case_release(&cs[k]);
		free(cs);
		free(paths[i]);
	}
	free(paths);
	strbuf_release(&err);
	strbuf_release(&cdir);
	free(root);
	return ret;
}
