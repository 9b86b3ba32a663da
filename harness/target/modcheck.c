/* modcheck: vermagic and parameter checks through libkmod. */
#include "target/modcheck.h"

#include <errno.h>
#include <libkmod.h>
#include <stdlib.h>
#include <string.h>

int modcheck(const char *ko_path, const char *release, char *const *params, size_t nparams,
	     struct strbuf *err)
{
	const char *null_config = NULL;
	struct kmod_ctx *ctx = kmod_new(NULL, &null_config);
	struct kmod_module *mod = NULL;
	struct kmod_list *info = NULL, *l;
	struct strbuf parms = STRBUF_INIT;
	char *vermagic = NULL;
	int r, ret = -1;

	if (!ctx) {
		strbuf_addstr(err, "libkmod: cannot create a context");
		return -1;
	}
	r = kmod_module_new_from_path(ctx, ko_path, &mod);
	if (r < 0) {
		strbuf_addf(err, "%s: %s", ko_path, strerror(-r));
		goto out;
	}
	r = kmod_module_get_info(mod, &info);
	if (r < 0) {
		strbuf_addf(err, "%s: cannot read module info: %s", ko_path, strerror(-r));
		goto out;
	}
	strbuf_addch(&parms, ' ');
	kmod_list_foreach(l, info) {
		const char *k = kmod_module_info_get_key(l);
		const char *v = kmod_module_info_get_value(l);
		if (!strcmp(k, "vermagic")) {
			free(vermagic);
			vermagic = xstrdup(v);
		} else if (!strcmp(k, "parm") || !strcmp(k, "parmtype")) {
			size_t n = strcspn(v, ":");
			strbuf_add(&parms, v, n);
			strbuf_addch(&parms, ' ');
		}
	}
	if (!vermagic) {
		strbuf_addf(err, "%s: no vermagic: not a kernel module?", ko_path);
		goto out;
	}
	size_t rl = strlen(release);
	if (strncmp(vermagic, release, rl) || (vermagic[rl] != ' ' && vermagic[rl] != '\0')) {
		strbuf_addf(err, "%s was built for '%.*s', the target kernel is '%s': rebuild it against the target's kdir",
			    ko_path, (int)strcspn(vermagic, " "), vermagic, release);
		goto out;
	}
	for (size_t i = 0; i < nparams; i++) {
		struct strbuf want = STRBUF_INIT;
		strbuf_addch(&want, ' ');
		strbuf_add(&want, params[i], strcspn(params[i], "="));
		strbuf_addch(&want, ' ');
		if (!strstr(parms.buf, want.buf)) {
			strbuf_rtrim(&want);
			strbuf_addf(err, "%s has no parameter '%s' (it has:%s)", ko_path, want.buf + 1, parms.buf);
			strbuf_rtrim(err);
			strbuf_release(&want);
			goto out;
		}
		strbuf_release(&want);
	}
	ret = 0;
out:
	free(vermagic);
	strbuf_release(&parms);
	kmod_module_info_free_list(info);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return ret;
}
