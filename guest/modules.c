/* modules: a directory's modules, in name order. */
#include "guest/modules.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

void modules_load_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char *path = NULL;
		int fd;

		if (names[i]->d_name[0] != '.' && asprintf(&path, "%s/%s", dir, names[i]->d_name) >= 0 &&
		    (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
				fprintf(stderr, "oomtest-init: finit_module %s: %s\n", path, strerror(errno));
			close(fd);
		}
		free(path);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}
