/* modcheck: reads a built .ko with libkmod before it goes into a guest:
 * its vermagic must name the target's kernel release and it must have
 * every parameter a case sets. */
#ifndef OOMTEST_MODCHECK_H
#define OOMTEST_MODCHECK_H

#include "lib/strbuf.h"

/* Returns 0, or -1 with one clear line in err. params: "k=v" strings. */
int modcheck(const char *ko_path, const char *release, char *const *params, size_t nparams,
	     struct strbuf *err);

#endif
